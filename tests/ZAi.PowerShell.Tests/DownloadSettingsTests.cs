using System.Net;
using System.Text;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Connect-ZAi's download settings, and the emulator's media host settings over its control API.</summary>
public sealed class DownloadSettingsTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public DownloadSettingsTests(EmulatorFixture fixture) => _fixture = fixture;

    private static string? NoEnvironment(string name) => null;

    [Fact]
    public void WithoutConnectZAiTheMeasuredDefaultsApply()
    {
        var settings = ZAiSession.Resolve(null, NoEnvironment);

        Assert.Equal(4, settings.ConnectionsPerFile);
        Assert.Equal(16L * 1024 * 1024, settings.SplitThreshold);
        Assert.Equal(4, new ZAiContext(settings, null).ConnectionsPerFile);
    }

    [Fact]
    public void ALaterConnectKeepsTheDownloadSettingsItDoesNotChange()
    {
        var first = new ConnectionOptions { ConnectionsPerFile = 8, SplitThreshold = 64L * 1024 * 1024 };
        var second = new ConnectionOptions { MaxRetries = 6 }.Over(first);

        var settings = ZAiSession.Resolve(second, NoEnvironment);

        Assert.Equal(8, settings.ConnectionsPerFile);
        Assert.Equal(64L * 1024 * 1024, settings.SplitThreshold);
        Assert.Equal(6, settings.MaxRetries);
        Assert.Equal(2, ZAiSession.Resolve(new ConnectionOptions { ConnectionsPerFile = 2 }.Over(first), NoEnvironment).ConnectionsPerFile);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void ConnectionsPerFileOutsideOneToSixteenIsRefused(int connections)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DownloadTuning(connections));
    }

    [Fact]
    public async Task TheEmulatorTakesAndReportsItsMediaHostSettingsAndRefusesANegativeRate()
    {
        using var client = new HttpClient();
        var config = new Uri(_fixture.Server.RootUrl, "_emulator/config");
        try
        {
            var set = await client.PostAsync(config, new StringContent("{\"media\":{\"bytesPerSecond\":2097152,\"latencyMs\":50,\"ranges\":false}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
            var body = await client.GetStringAsync(config);
            Assert.Contains("\"media\":{\"bytesPerSecond\":2097152,\"latencyMs\":50,\"ranges\":false,\"etag\":\"strong\",\"lastModified\":\"past\",\"ignoreIfRange\":false,\"slowConnection\":0,\"slowBytesPerSecond\":16384}", body, StringComparison.Ordinal);

            var refused = await client.PostAsync(config, new StringContent("{\"media\":{\"bytesPerSecond\":-1}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("\"bytesPerSecond\":2097152", await client.GetStringAsync(config), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri(_fixture.Server.RootUrl, "_emulator/reset"), null)).StatusCode);
            Assert.Contains("\"media\":{\"bytesPerSecond\":0,\"latencyMs\":0,\"ranges\":true,\"etag\":\"strong\",\"lastModified\":\"past\",\"ignoreIfRange\":false,\"slowConnection\":0,\"slowBytesPerSecond\":16384}", await client.GetStringAsync(config), StringComparison.Ordinal);
        }
        finally
        {
            _fixture.Server.ConfigureMedia(new ZAi.Emulator.MediaHostConfig { BytesPerSecond = 0, LatencyMs = 0, Ranges = true });
        }
    }
}
