using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class BaseUriRulesTests
{
    private const string Origin = "-BaseUri";

    [Theory]
    [InlineData("https://api.z.ai/api", "https://api.z.ai/api/")]
    [InlineData("https://api.z.ai/api/", "https://api.z.ai/api/")]
    [InlineData("  https://api.z.ai/api  ", "https://api.z.ai/api/")]
    [InlineData("https://open.bigmodel.cn/api", "https://open.bigmodel.cn/api/")]
    [InlineData("https://open.bigmodel.cn/api/", "https://open.bigmodel.cn/api/")]
    [InlineData("HTTPS://API.Z.AI/api", "https://api.z.ai/api/")]
    [InlineData("https://proxy.example.com:8443/zai/api", "https://proxy.example.com:8443/zai/api/")]
    public void OfficialAndCustomHttpsUrlsNormaliseWithATrailingSlash(string value, string expected)
    {
        var uri = BaseUriRules.Normalize(value, Origin);

        Assert.Equal(expected, uri.AbsoluteUri);
        Assert.EndsWith("/", uri.AbsolutePath);
    }

    [Theory]
    [InlineData("https://api.z.ai/api/paas/v4", "https://api.z.ai/api/")]
    [InlineData("https://api.z.ai/api/paas/v4/", "https://api.z.ai/api/")]
    [InlineData("https://open.bigmodel.cn/api/paas/v4", "https://open.bigmodel.cn/api/")]
    [InlineData("https://api.z.ai/api/PAAS/V4/", "https://api.z.ai/api/")]
    public void SdkFormWithPaasV4IsAcceptedAndTrimmed(string value, string expected)
    {
        Assert.Equal(expected, BaseUriRules.Normalize(value, Origin).AbsoluteUri);
    }

    [Fact]
    public void RegionConstantsAreTheNormalisedOfficialUrls()
    {
        Assert.Equal(BaseUriRules.Normalize("https://api.z.ai/api", Origin), BaseUriRules.International);
        Assert.Equal(BaseUriRules.Normalize("https://open.bigmodel.cn/api", Origin), BaseUriRules.China);
    }

    [Fact]
    public void NormalisedBaseResolvesTheEndpointBelowApi()
    {
        var baseUri = BaseUriRules.Normalize("https://api.z.ai/api/paas/v4", Origin);

        Assert.Equal("https://api.z.ai/api/paas/v4/async-result/abc", new Uri(baseUri, "paas/v4/async-result/abc").AbsoluteUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api", "http://127.0.0.1:5000/api/")]
    [InlineData("http://127.0.0.2/api", "http://127.0.0.2/api/")]
    [InlineData("http://localhost:5000/api", "http://localhost:5000/api/")]
    [InlineData("http://LOCALHOST/api/paas/v4", "http://localhost/api/")]
    [InlineData("http://[::1]:5000/api", "http://[::1]:5000/api/")]
    public void PlainHttpIsAcceptedForLoopback(string value, string expected)
    {
        Assert.Equal(expected, BaseUriRules.Normalize(value, Origin).AbsoluteUri);
    }

    [Theory]
    [InlineData("http://api.z.ai/api")]
    [InlineData("http://open.bigmodel.cn/api")]
    [InlineData("http://localhost.example.com/api")]
    [InlineData("http://10.0.0.5/api")]
    [InlineData("http://0.0.0.0/api")]
    public void PlainHttpToOtherHostsIsRejectedMentioningHttps(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize(value, Origin));

        Assert.Contains("https", error.Message);
        Assert.Contains(Origin, error.Message);
    }

    [Theory]
    [InlineData("https://api.z.ai/api?region=intl", "query")]
    [InlineData("https://api.z.ai/api?", "query")]
    [InlineData("https://api.z.ai/api#top", "fragment")]
    public void QueryOrFragmentIsRejected(string value, string word)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize(value, Origin));

        Assert.Contains(word, error.Message);
        Assert.Contains(Origin, error.Message);
    }

    [Fact]
    public void QueryValuesAreNotEchoed()
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize("https://api.z.ai/api?key=sk-leaky-123456789", Origin));

        Assert.DoesNotContain("sk-leaky-123456789", error.Message);
    }

    [Fact]
    public void UserInfoIsRejectedWithoutEchoingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize("https://user:s3cret-pass@api.z.ai/api", Origin));

        Assert.Contains("user information", error.Message);
        Assert.DoesNotContain("s3cret-pass", error.Message);
    }

    [Theory]
    [InlineData("api.z.ai/api")]
    [InlineData("/api")]
    [InlineData("paas/v4")]
    [InlineData("ftp://api.z.ai/api")]
    [InlineData("file:///etc/passwd")]
    public void RelativeOrNonHttpIsRejected(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize(value, Origin));

        Assert.Contains("absolute", error.Message);
        Assert.Contains(Origin, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyIsRejected(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => BaseUriRules.Normalize(value, Origin));

        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1/", true)]
    [InlineData("http://localhost/", true)]
    [InlineData("http://[::1]/", true)]
    [InlineData("http://api.z.ai/", false)]
    [InlineData("http://192.168.1.1/", false)]
    public void IsLoopback(string value, bool expected)
    {
        Assert.Equal(expected, BaseUriRules.IsLoopback(new Uri(value)));
    }
}
