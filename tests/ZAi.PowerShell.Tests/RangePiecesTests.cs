using System.Net.Http.Headers;
using Xunit;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>The pure parts of ranged downloads: the classifier of range answers, the planner, the ledger, the host bound.</summary>
public sealed class RangePiecesTests
{
    private const string ETag = "\"abc\"";

    private static RangeVerdict Classify(int status, string? contentRange, long? length = 100, string? etag = ETag, long from = 100, long? to = 199, long total = 1000, string validator = ETag) =>
        RangeResponse.Classify(status, from, to, total, validator, contentRange is null ? null : ContentRangeHeaderValue.Parse(contentRange), length, etag);

    [Fact]
    public void ExactlyTheRangeAskedOfTheSameFileContinues()
    {
        Assert.Equal(RangeVerdict.Continues, Classify(206, "bytes 100-199/1000"));
        Assert.Equal(RangeVerdict.Continues, Classify(206, "bytes 100-199/1000", length: null));
        Assert.Equal(RangeVerdict.Continues, Classify(206, "bytes 100-999/1000", length: 900, to: null));
        Assert.Equal(RangeVerdict.Continues, Classify(206, "bytes 100-199/1000", etag: LastModified, validator: LastModified));
    }

    private const string LastModified = "Wed, 01 Jan 2025 00:00:00 GMT";

    [Theory]
    [InlineData(null, ETag)]                                  // no ETag: nothing shows the bytes are of the recorded file
    [InlineData("W/\"abc\"", ETag)]                           // the weak form of the recorded one is not it
    [InlineData(null, LastModified)]                          // no Last-Modified where one was recorded
    [InlineData("Thu, 02 Jan 2025 00:00:00 GMT", LastModified)] // the file changed: a host that ignored If-Range
    public void A206WhoseValidatorIsMissingOrOtherDoesNotContinue(string? answered, string validator)
    {
        Assert.Equal(RangeVerdict.OtherRange, Classify(206, "bytes 100-199/1000", etag: answered, validator: validator));
    }

    [Theory]
    [InlineData("bytes 101-200/1000", 100L, ETag)]   // another start
    [InlineData("bytes 100-198/1000", 99L, ETag)]    // another end
    [InlineData("bytes 100-199/1001", 100L, ETag)]   // another total
    [InlineData("bytes 100-199/*", 100L, ETag)]      // no total
    [InlineData("bytes 100-199/1000", 101L, ETag)]   // a body longer than the range
    [InlineData("bytes 100-199/1000", 100L, "\"new\"")] // another version
    [InlineData(null, 100L, ETag)]                   // no Content-Range at all
    [InlineData("bytes 101-199/1000", null, ETag)]   // another start, no Content-Length to tell
    [InlineData("bytes 100-198/1000", null, ETag)]   // another end, no Content-Length to tell
    public void AnyOtherPartialAnswerIsAnotherRange(string? contentRange, long? length, string etag)
    {
        Assert.Equal(RangeVerdict.OtherRange, Classify(206, contentRange, length, etag));
    }

    [Fact]
    public void WholeFileNotSatisfiableAndErrorsAreToldApart()
    {
        Assert.Equal(RangeVerdict.WholeFile, Classify(200, null));
        Assert.Equal(RangeVerdict.NotSatisfiable, Classify(416, "bytes */1000"));
        Assert.Equal(RangeVerdict.Failed, Classify(404, null));
        Assert.Equal(RangeVerdict.Failed, Classify(503, null));
    }

    [Fact]
    public void APlanCoversTheFileWithEqualContiguousRanges()
    {
        var ranges = RangePlanner.Plan(10 * 1024 * 1024 + 3, 4);

        Assert.Equal(4, ranges.Count);
        Assert.Equal(0, ranges[0].Start);
        for (var i = 1; i < ranges.Count; i++) Assert.Equal(ranges[i - 1].End + 1, ranges[i].Start);
        Assert.Equal(10 * 1024 * 1024 + 2, ranges[^1].End);
        Assert.All(ranges, r => Assert.Equal(0, r.Done));
        Assert.Equal(2621440 + 3, ranges[^1].Length);
    }

    [Fact]
    public void NoRangeIsSmallerThanTheMinimum()
    {
        Assert.Equal(3, RangePlanner.Plan(3 * 1024 * 1024 + 5, 8).Count);
        Assert.Single(RangePlanner.Plan(1024 * 1024, 4));
    }

    [Theory]
    [InlineData(16L * 1024 * 1024, true, 4, true)]
    [InlineData((16L * 1024 * 1024) - 1, true, 4, false)]
    [InlineData(16L * 1024 * 1024, false, 4, false)]
    [InlineData(16L * 1024 * 1024, true, 1, false)]
    public void OnlyLargeResumableFilesAreSplit(long total, bool resumable, int connections, bool split)
    {
        Assert.Equal(split, RangePlanner.ShouldSplit(total, resumable, new DownloadTuning(connections)));
        Assert.False(RangePlanner.ShouldSplit(null, resumable, new DownloadTuning(connections)));
    }

    [Theory]
    [InlineData(true, true, 0.0, 6_000_000L, "FirstBroke")]        // it broke: no rate to judge by
    [InlineData(true, false, 0.0, 0L, "OneConnection")]            // the file came whole in the probe
    [InlineData(false, false, 6_000_001.0, 6_000_000L, "OneConnection")] // the rest takes just under a second
    [InlineData(false, false, 6_000_000.0, 6_000_000L, "Split")]   // exactly a second: worth splitting
    [InlineData(false, false, 0.0, 6_000_000L, "Split")]           // nothing arrived: no rate says one is enough
    public void AfterTheProbeTheFirstConnectionGoesOnAloneOnlyWhenItEndedOrTheRestTakesUnderASecond(bool ended, bool failed, double rate, long left, string verdict)
    {
        Assert.Equal(TimeSpan.FromSeconds(1), DownloadTuning.DefaultWorthSplitting);
        Assert.Equal(Enum.Parse<ProbeVerdict>(verdict), RangePlanner.AfterProbe(ended, failed, rate, left, new DownloadTuning()));
    }

    [Fact]
    public void ALedgerSurvivesItsSideFile()
    {
        var ledger = new RangeLedger(new PartialRecord(ETag, "video/mp4", 8_000_000), RangePlanner.Plan(8_000_000, 4));
        ledger.Advance(1, 5000);
        ledger.Advance(3, 2_000_000);

        var read = RangeLedger.Parse(ledger.Format())!;

        Assert.Equal(ETag, read.Record.Validator);
        Assert.Equal("video/mp4", read.Record.ContentType);
        Assert.Equal(8_000_000, read.Total);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => ledger[i]), Enumerable.Range(0, 4).Select(i => read[i]));
        Assert.Equal(2_005_000, read.DoneBytes);
        Assert.Equal(new[] { 0, 1, 2 }, read.Incomplete());
    }

    [Theory]
    [InlineData("zai-ranges 1\n\"a\"\nvideo/mp4\n100\n0 50 0\n60 40 0\n")]   // a gap
    [InlineData("zai-ranges 1\n\"a\"\nvideo/mp4\n100\n0 50 0\n50 40 0\n")]   // does not reach the end
    [InlineData("zai-ranges 1\n\"a\"\nvideo/mp4\n100\n0 50 51\n50 50 0\n")]  // more done than the range holds
    [InlineData("zai-ranges 1\n\"a\"\nvideo/mp4\n100\n0 50 -1\n50 50 0\n")]
    [InlineData("zai-ranges 2\n\"a\"\nvideo/mp4\n100\n0 100 0\n")]           // another format
    [InlineData("zai-ranges 1\n\"a\r\"\nvideo/mp4\n100\n0 100 0\n")]         // a control character in the validator
    [InlineData("zai-ranges 1\n\"a\"\nvideo/mp4\n100\n")]                     // no ranges
    [InlineData("\"a\"\nvideo/mp4\n100\n")]                                   // the single-connection side file
    public void ALedgerThatDoesNotAddUpIsNotTrusted(string text)
    {
        Assert.Null(RangeLedger.Parse(text));
    }

    [Fact]
    public void ALedgerNeverCountsMoreThanARangeHolds()
    {
        var ledger = new RangeLedger(new PartialRecord(ETag, null, 10), new[] { new ByteRange(0, 10, 0) });
        Assert.Throws<InvalidOperationException>(() => ledger.Advance(0, 11));
    }

    [Fact]
    public void AHostGetsNoMoreExtraConnectionsThanItsLimit()
    {
        var hosts = new HostConnections();
        var uri = new Uri("http://127.0.0.1:1/a");
        hosts.Acquire(uri);
        hosts.Acquire(uri); // first connections always run

        Assert.True(hosts.TryAcquire(uri, 3));
        Assert.False(hosts.TryAcquire(uri, 3));
        Assert.True(hosts.TryAcquire(new Uri("http://127.0.0.1:2/a"), 3)); // another host has its own count
        hosts.Release(uri);
        Assert.True(hosts.TryAcquire(uri, 3));
        Assert.Equal(3, hosts.Open(uri));
    }
}
