using System.Net;
using System.Net.Http.Headers;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>Which answers of a media host carry a validator strong enough to join bytes of two answers (RFC 9110 8.8).</summary>
public sealed class MediaValidatorTests
{
    private static readonly DateTimeOffset Modified = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Answer(string? etag, DateTimeOffset? lastModified, DateTimeOffset? date)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Array.Empty<byte>()) };
        if (etag != null) response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        response.Content.Headers.LastModified = lastModified;
        response.Headers.Date = date;
        return response;
    }

    [Fact]
    public void AStrongETagIsTheValidatorWhateverTheDates()
    {
        using var answer = Answer("\"v1\"", Modified, Modified);

        Assert.Equal("\"v1\"", MediaValidator.Strong(answer, out var weakness));
        Assert.Null(weakness);
    }

    [Fact]
    public void ALastModifiedASecondOlderThanTheAnswerIsStrong()
    {
        using var answer = Answer(null, Modified, Modified.AddSeconds(1));

        Assert.Equal("Tue, 01 Dec 2026 12:00:00 GMT", MediaValidator.Strong(answer, out var weakness));
        Assert.Null(weakness);
    }

    [Theory]
    [InlineData("W/\"v1\"", 0, 60.0, "a weak ETag (W/\"v1\")")]            // never in If-Range, and a date beside it may not be used either
    [InlineData(null, 0, 0.0, "not a second older")]                       // modified in the second of the answer
    [InlineData(null, 0, 0.9, "not a second older")]
    [InlineData(null, 0, null, "not a second older")]                    // no Date to tell
    [InlineData(null, null, 60.0, "neither an ETag nor a Last-Modified")]
    public void AWeakOrMissingValidatorIsNone(string? etag, int? modifiedAt, double? dateAt, string why)
    {
        using var answer = Answer(etag, modifiedAt is null ? null : Modified.AddSeconds(modifiedAt.Value), dateAt is null ? null : Modified.AddSeconds(dateAt.Value));

        Assert.Null(MediaValidator.Strong(answer, out var weakness));
        Assert.Contains(why, weakness);
    }

    [Fact]
    public void AnAnswerIsComparedInTheFormOfTheRecordedValidator()
    {
        using var answer = Answer("\"v2\"", Modified, Modified.AddDays(1));

        Assert.Equal("\"v2\"", MediaValidator.Answered(answer, "\"v1\""));
        Assert.Equal("Tue, 01 Dec 2026 12:00:00 GMT", MediaValidator.Answered(answer, "Mon, 30 Nov 2026 12:00:00 GMT"));
        using var bare = Answer(null, null, null);
        Assert.Null(MediaValidator.Answered(bare, "\"v1\""));
        Assert.Null(MediaValidator.Answered(bare, "Mon, 30 Nov 2026 12:00:00 GMT"));
    }
}
