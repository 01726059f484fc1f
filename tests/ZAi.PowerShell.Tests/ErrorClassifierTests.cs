using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class ErrorClassifierTests
{
    [Theory]
    [InlineData(401, ZAiErrorReason.AuthenticationFailed)]
    [InlineData(404, ZAiErrorReason.NotFound)]
    [InlineData(429, ZAiErrorReason.RateLimited)]
    [InlineData(400, ZAiErrorReason.InvalidRequest)]
    [InlineData(422, ZAiErrorReason.InvalidRequest)]
    [InlineData(403, ZAiErrorReason.AccountProblem)]
    [InlineData(408, ZAiErrorReason.Timeout)]
    [InlineData(500, ZAiErrorReason.ServerError)]
    [InlineData(501, ZAiErrorReason.ServerError)]
    [InlineData(502, ZAiErrorReason.ServiceUnavailable)]
    [InlineData(503, ZAiErrorReason.ServiceUnavailable)]
    [InlineData(504, ZAiErrorReason.ServiceUnavailable)]
    [InlineData(418, ZAiErrorReason.Unknown)]
    [InlineData(200, ZAiErrorReason.Unknown)]
    public void StatusWithoutCode(int status, ZAiErrorReason expected)
    {
        Assert.Equal(expected, ErrorClassifier.Classify(status, null));
    }

    [Theory]
    [InlineData("1000", ZAiErrorReason.AuthenticationFailed)]
    [InlineData("1001", ZAiErrorReason.AuthenticationFailed)]
    [InlineData("1002", ZAiErrorReason.AuthenticationFailed)]
    [InlineData("1003", ZAiErrorReason.AuthenticationFailed)]
    [InlineData("1004", ZAiErrorReason.AuthenticationFailed)]
    [InlineData("1113", ZAiErrorReason.QuotaExceeded)]
    [InlineData("1110", ZAiErrorReason.AccountProblem)]
    [InlineData("1112", ZAiErrorReason.AccountProblem)]
    [InlineData("1120", ZAiErrorReason.AccountProblem)]
    [InlineData("1121", ZAiErrorReason.AccountProblem)]
    [InlineData("1210", ZAiErrorReason.InvalidRequest)]
    [InlineData("1211", ZAiErrorReason.InvalidRequest)]
    [InlineData("1214", ZAiErrorReason.InvalidRequest)]
    [InlineData("1231", ZAiErrorReason.DuplicateRequest)]
    [InlineData("1234", ZAiErrorReason.InvalidRequest)]
    [InlineData("1301", ZAiErrorReason.ContentRejected)]
    [InlineData("1302", ZAiErrorReason.RateLimited)]
    [InlineData("1303", ZAiErrorReason.RateLimited)]
    [InlineData("1304", ZAiErrorReason.RateLimited)]
    [InlineData("1305", ZAiErrorReason.RateLimited)]
    [InlineData("1005", ZAiErrorReason.Unknown)]
    [InlineData("1109", ZAiErrorReason.Unknown)]
    [InlineData("1122", ZAiErrorReason.Unknown)]
    [InlineData("1209", ZAiErrorReason.Unknown)]
    [InlineData("1235", ZAiErrorReason.Unknown)]
    [InlineData("1306", ZAiErrorReason.Unknown)]
    [InlineData("9999", ZAiErrorReason.Unknown)]
    [InlineData("not-a-number", ZAiErrorReason.Unknown)]
    [InlineData("", ZAiErrorReason.Unknown)]
    public void BusinessCodeInHttp200(string code, ZAiErrorReason expected)
    {
        Assert.Equal(expected, ErrorClassifier.Classify(200, code));
    }

    [Theory]
    [InlineData(null, "1214", ZAiErrorReason.InvalidRequest)]
    [InlineData(null, "9999", ZAiErrorReason.Unknown)]
    [InlineData(null, null, ZAiErrorReason.Unknown)]
    [InlineData(429, "1113", ZAiErrorReason.QuotaExceeded)]
    [InlineData(429, "1308", ZAiErrorReason.UsageLimitReached)]
    [InlineData(429, "1309", ZAiErrorReason.UsageLimitReached)]
    [InlineData(429, "1310", ZAiErrorReason.UsageLimitReached)]
    [InlineData(429, "1313", ZAiErrorReason.UsageLimitReached)]
    [InlineData(200, "1310", ZAiErrorReason.UsageLimitReached)]
    [InlineData(429, "1305", ZAiErrorReason.RateLimited)]
    [InlineData(400, "1301", ZAiErrorReason.ContentRejected)]
    [InlineData(400, "9999", ZAiErrorReason.InvalidRequest)]
    [InlineData(500, "500", ZAiErrorReason.ServerError)]
    [InlineData(503, "1305", ZAiErrorReason.RateLimited)]
    // The HTTP status wins for authentication and missing tasks.
    [InlineData(401, "1214", ZAiErrorReason.AuthenticationFailed)]
    [InlineData(404, "1214", ZAiErrorReason.NotFound)]
    public void StatusAndCodeTogether(int? status, string? code, ZAiErrorReason expected)
    {
        Assert.Equal(expected, ErrorClassifier.Classify(status, code));
    }

    [Theory]
    [InlineData(408, null, true)]
    [InlineData(429, null, true)]
    [InlineData(429, "1302", true)]
    [InlineData(500, null, true)]
    [InlineData(502, null, true)]
    [InlineData(503, null, true)]
    [InlineData(504, null, true)]
    [InlineData(200, "1302", true)]
    [InlineData(200, "1303", true)]
    [InlineData(200, "1305", true)]
    [InlineData(400, null, false)]
    [InlineData(401, "1002", false)]
    [InlineData(403, null, false)]
    [InlineData(404, "1214", false)]
    [InlineData(200, "1214", false)]
    [InlineData(200, "1301", false)]
    [InlineData(429, "1113", false)]
    [InlineData(429, "1304", false)]
    [InlineData(429, "1308", false)]
    [InlineData(429, "1309", false)]
    [InlineData(429, "1310", false)]
    [InlineData(429, "1313", false)]
    [InlineData(503, "1310", false)]
    [InlineData(503, "1113", false)]
    [InlineData(null, null, false)]
    public void IsTransient(int? status, string? code, bool expected)
    {
        Assert.Equal(expected, ErrorClassifier.IsTransient(status, code));
    }
}
