using ZAi.PowerShell.Journal;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>One writer per journal file per process, whatever the spelling of its path, closed under its lock.</summary>
public sealed class SharedJournalsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-shared-" + Guid.NewGuid().ToString("N"));

    public SharedJournalsTests() => Directory.CreateDirectory(Path.Combine(_folder, "sub"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TwoSpellingsOfOneJournalShareOneWriter()
    {
        var path = Path.Combine(_folder, "j.jsonl");
        var other = Path.Combine(_folder, "sub", "..", ".", "j.jsonl");
        using var first = SharedJournals.Open(path);
        using var second = SharedJournals.Open(other);

        Assert.Same(first.Journal, second.Journal);
    }

    [Theory]
    [InlineData("/data/Out/j.jsonl", "/data/out/J.JSONL", true, true)]
    [InlineData("/data/Out/j.jsonl", "/data/out/J.JSONL", false, false)]
    [InlineData("/data/out/j.jsonl", "/data/x/../out/./j.jsonl", false, true)]
    [InlineData("/data/out/", "/data/out", false, true)]
    public void AKeyNamesTheFileTheWayTheFileSystemCompares(string a, string b, bool caseInsensitive, bool same)
    {
        Assert.Equal(same, JournalPath.Key(a, caseInsensitive) == JournalPath.Key(b, caseInsensitive));
    }

    [Fact]
    public void ARunspaceOpeningTheJournalWhileTheLastUserClosesItIsNeverToldItIsInUse()
    {
        // The last user's close is held open until the other runspace has tried to open the journal (or a bound
        // passes): a writer closed outside the registry's lock lets that open find the lock file still held.
        var path = Path.Combine(_folder, "race.jsonl");
        var closing = new ManualResetEventSlim();
        var otherTried = new ManualResetEventSlim();
        var first = SharedJournals.Open(path, p => new HeldClose(new FileStream(p, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read), closing, otherTried));
        Exception? failure = null;
        var other = new Thread(() =>
        {
            closing.Wait();
            try
            {
                SharedJournals.Open(path).Dispose();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                otherTried.Set();
            }
        });
        other.Start();

        first.Dispose();
        Assert.True(other.Join(TimeSpan.FromSeconds(30)));

        Assert.Null(failure);
        Assert.False(SharedJournals.IsOpen(path));
        Assert.False(File.Exists(path + JournalFile.LockSuffix));
    }

    /// <summary>A journal stream whose close waits (at most 500 ms) for another thread's attempt to open the journal.</summary>
    private sealed class HeldClose : Stream
    {
        private readonly FileStream _inner;
        private readonly ManualResetEventSlim _closing;
        private readonly ManualResetEventSlim _otherTried;

        public HeldClose(FileStream inner, ManualResetEventSlim closing, ManualResetEventSlim otherTried)
        {
            _inner = inner;
            _closing = closing;
            _otherTried = otherTried;
        }

        public override bool CanRead => _inner.CanRead;
        public override bool CanSeek => _inner.CanSeek;
        public override bool CanWrite => _inner.CanWrite;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }
        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void SetLength(long value) => _inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _closing.Set();
                _otherTried.Wait(TimeSpan.FromMilliseconds(500));
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
