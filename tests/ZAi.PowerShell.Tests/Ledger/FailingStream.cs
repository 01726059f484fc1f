namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>
/// A file stream that behaves like a disk that fills up: writes succeed until <see cref="Room"/> bytes are used,
/// then the write that does not fit puts what fits and throws "No space left on device", as a real full disk
/// does. <see cref="Room"/> can be raised (space freed) mid-test. Real bytes go to a real file, so what the
/// journal leaves behind can be read back.
/// </summary>
internal sealed class FailingStream : Stream
{
    private readonly FileStream _inner;

    public FailingStream(string path, long room)
    {
        _inner = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        Room = room;
    }

    /// <summary>The file length the disk allows.</summary>
    public long Room { get; set; }

    public int Failures { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override void Flush() => _inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => _inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count)
    {
        var fits = (int)Math.Max(0, Math.Min(count, Room - _inner.Position));
        _inner.Write(buffer, offset, fits);
        _inner.Flush();
        if (fits < count)
        {
            Failures++;
            throw new IOException("No space left on device");
        }
    }

    public override void WriteByte(byte value) => Write(new[] { value }, 0, 1);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
