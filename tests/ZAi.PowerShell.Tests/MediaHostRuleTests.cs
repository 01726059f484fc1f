using System.Net;
using Xunit;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests;

/// <summary>The link-local and metadata rule, decided from the URL alone (no connection is ever made here).</summary>
public sealed class MediaHostRuleTests
{
    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "169.254.169.254")]
    [InlineData("https://169.254.0.1/x.mp4", "169.254.0.1")]
    [InlineData("http://169.254.255.255/x.mp4", "169.254.255.255")]
    [InlineData("http://2852039166/latest", "169.254.169.254")] // the same address written as one number
    [InlineData("http://0xA9FEA9FE/latest", "169.254.169.254")]
    [InlineData("http://[fe80::1]/x.mp4", "fe80::1")]
    [InlineData("http://[febf:ffff::1]/x.mp4", "febf:ffff::1")]
    [InlineData("http://[::ffff:169.254.169.254]/latest", "169.254.169.254")]
    [InlineData("http://100.100.100.200/latest/meta-data/", "100.100.100.200")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal")]
    [InlineData("http://METADATA.google.internal./computeMetadata/v1/", "metadata.google.internal")]
    [InlineData("http://metadata/computeMetadata/v1/", "metadata")]
    [InlineData("http://instance-data.ec2.internal/latest/", "instance-data.ec2.internal")]
    public void LinkLocalAndMetadataHostsAreRefusedNamingTheAddress(string url, string named)
    {
        var refusal = MediaHostRule.Refusal(new Uri(url));
        Assert.NotNull(refusal);
        Assert.Contains(named, refusal, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/media/x.mp4")]
    [InlineData("http://localhost/media/x.mp4")]
    [InlineData("http://[::1]/media/x.mp4")]
    [InlineData("http://10.1.2.3/x.mp4")]
    [InlineData("http://172.16.0.1/x.mp4")]
    [InlineData("http://192.168.1.10/x.mp4")]
    [InlineData("http://169.253.255.255/x.mp4")]
    [InlineData("http://169.255.0.0/x.mp4")]
    [InlineData("http://100.100.100.201/x.mp4")]
    [InlineData("http://[fec0::1]/x.mp4")]
    [InlineData("http://[fd00:ec2::253]/x.mp4")]
    [InlineData("https://aigc-files.bigmodel.cn/api/cogvideo/x.mp4")]
    [InlineData("https://metadata.example.com/x.mp4")]
    [InlineData("https://mymetadata/x.mp4")]
    public void LoopbackPrivateAndPublicHostsAreAllowed(string url)
    {
        Assert.Null(MediaHostRule.Refusal(new Uri(url)));
    }

    [Fact]
    public void AScopedLinkLocalAddressIsRefused()
    {
        Assert.NotNull(MediaHostRule.RefusalOf(IPAddress.Parse("fe80::1%2")));
    }
}
