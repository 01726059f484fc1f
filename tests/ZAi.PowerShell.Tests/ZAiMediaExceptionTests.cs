using Xunit;

namespace ZAi.PowerShell.Tests;

public class ZAiMediaExceptionTests
{
    [Theory]
    [InlineData(MediaErrorReason.LinkExpired, "ZAiMediaLinkExpired")]
    [InlineData(MediaErrorReason.DownloadFailed, "ZAiMediaDownloadFailed")]
    [InlineData(MediaErrorReason.LengthMismatch, "ZAiMediaLengthMismatch")]
    [InlineData(MediaErrorReason.WriteFailed, "ZAiMediaWriteFailed")]
    [InlineData(MediaErrorReason.InvalidUrl, "ZAiInvalidMediaUrl")]
    [InlineData(MediaErrorReason.FileExists, "ZAiMediaFileExists")]
    [InlineData(MediaErrorReason.NoMedia, "ZAiNoMedia")]
    [InlineData(MediaErrorReason.TooLarge, "ZAiMediaTooLarge")]
    [InlineData(MediaErrorReason.TooSlow, "ZAiMediaTooSlow")]
    [InlineData(MediaErrorReason.UnexpectedContent, "ZAiMediaUnexpectedContent")]
    [InlineData(MediaErrorReason.ProxyAuthenticationRequired, "ZAiProxyAuthenticationRequired")]
    [InlineData(MediaErrorReason.ProxyConnectionFailed, "ZAiProxyConnectionFailed")]
    public void EachReasonHasItsDocumentedErrorId(MediaErrorReason reason, string errorId)
    {
        Assert.Equal(errorId, new ZAiMediaException(reason, "m").ErrorId);
    }

    [Fact]
    public void EveryReasonIsCovered()
    {
        Assert.Equal(12, Enum.GetValues<MediaErrorReason>().Length);
    }

    [Fact]
    public void KeepsMessageUrlTransienceRetryAfterAndInner()
    {
        var inner = new IOException("disk");
        var error = new ZAiMediaException(MediaErrorReason.DownloadFailed, "message", "https://cdn.test/a.mp4", isTransient: true, retryAfter: TimeSpan.FromSeconds(3), inner: inner);

        Assert.Equal("message", error.Message);
        Assert.Equal("https://cdn.test/a.mp4", error.Url);
        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
        Assert.Same(inner, error.InnerException);
    }

    [Fact]
    public void DefaultsArePermanentWithoutUrlOrRetryAfter()
    {
        var error = new ZAiMediaException(MediaErrorReason.NoMedia, "nothing");

        Assert.Null(error.Url);
        Assert.False(error.IsTransient);
        Assert.Null(error.RetryAfter);
        Assert.Null(error.InnerException);
    }
}
