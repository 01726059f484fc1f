using System.Text;
using System.Text.Json;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class ApiErrorParserTests
{
    private static ApiErrorBody? FromJson(string json, bool successStatus)
    {
        using var document = JsonDocument.Parse(json);
        return ApiErrorParser.FromJson(document.RootElement, successStatus);
    }

    [Theory]
    // The spec's envelope: {code:int, message}.
    [InlineData("""{"code":1214,"message":"Invalid parameter"}""", "1214", "Invalid parameter")]
    // The live API's envelope, code as a string.
    [InlineData("""{"error":{"code":"1214","message":"Invalid parameter"}}""", "1214", "Invalid parameter")]
    // The live envelope with a numeric code and msg instead of message.
    [InlineData("""{"error":{"code":1302,"msg":"Too many requests"}}""", "1302", "Too many requests")]
    // {"error":"text","code":...}
    [InlineData("""{"error":"Account locked","code":1112}""", "1112", "Account locked")]
    // {"msg":...,"code":...}
    [InlineData("""{"msg":"Frequency limit","code":1303}""", "1303", "Frequency limit")]
    // {"message":...,"code":"..."}
    [InlineData("""{"message":"Overloaded","code":"1305"}""", "1305", "Overloaded")]
    // {"success":false,...}
    [InlineData("""{"success":false,"code":500,"msg":"Internal error"}""", "500", "Internal error")]
    public void EveryEnvelopeGivesCodeAsStringAndMessage(string json, string code, string message)
    {
        foreach (var success in new[] { false, true })
        {
            var error = FromJson(json, success);

            Assert.NotNull(error);
            Assert.Equal(code, error!.Code);
            Assert.Equal(message, error.Message);
        }
    }

    [Fact]
    public void SuccessFalseWithoutCodeIsAnErrorInHttp200()
    {
        var error = FromJson("""{"success":false,"msg":"Nope"}""", successStatus: true);

        Assert.NotNull(error);
        Assert.Null(error!.Code);
        Assert.Equal("Nope", error.Message);
    }

    [Fact]
    public void RequestIdIsReadAtTopLevelAndInsideError()
    {
        Assert.Equal("top-1", FromJson("""{"code":1214,"message":"m","request_id":"top-1"}""", false)!.RequestId);
        Assert.Equal("inner-1", FromJson("""{"error":{"code":"1214","message":"m","request_id":"inner-1"}}""", false)!.RequestId);
        Assert.Null(FromJson("""{"error":{"code":"1214","message":"m"}}""", false)!.RequestId);
    }

    [Theory]
    [InlineData("""{"model":"cogvideox-3","task_status":"PROCESSING","request_id":"r","id":"t"}""")]
    [InlineData("""{"model":"cogvideox-3","task_status":"SUCCESS","video_result":[{"url":"u"}],"id":"t"}""")]
    [InlineData("""{"code":200,"msg":"ok","task_status":"SUCCESS"}""")]
    [InlineData("""{"code":200,"msg":"ok","data":{}}""")]
    [InlineData("""{"code":"200","message":"ok"}""")]
    [InlineData("""{"code":0,"msg":"success"}""")]
    [InlineData("""{"error":null,"task_status":"SUCCESS"}""")]
    [InlineData("""{"message":"all good"}""")]
    [InlineData("""{}""")]
    [InlineData("""[1,2,3]""")]
    public void Http200BodiesThatAreNotErrors(string json)
    {
        Assert.Null(FromJson(json, successStatus: true));
    }

    [Theory]
    [InlineData("""{"error":{"code":"1214","message":"Invalid parameter"}}""", "1214")]
    [InlineData("""{"error":{"code":"1305","message":"Overloaded"},"task_status":"PROCESSING"}""", "1305")]
    [InlineData("""{"error":"text only"}""", null)]
    [InlineData("""{"code":1301,"msg":"Unsafe content"}""", "1301")]
    [InlineData("""{"code":"1305","message":"Overloaded"}""", "1305")]
    [InlineData("""{"success":false,"code":0}""", "0")]
    public void Http200BodiesThatAreErrors(string json, string? code)
    {
        var error = FromJson(json, successStatus: true);

        Assert.NotNull(error);
        Assert.Equal(code, error!.Code);
    }

    [Theory]
    [InlineData("""{"foo":1}""")]
    [InlineData("""[1,2]""")]
    [InlineData("\"text\"")]
    [InlineData("""{"task_status":"SUCCESS"}""")]
    public void ErrorStatusAlwaysGivesABodyEvenWithoutCodeOrMessage(string json)
    {
        var error = FromJson(json, successStatus: false);

        Assert.NotNull(error);
        Assert.Null(error!.Code);
        Assert.Null(error.Message);
    }

    [Fact]
    public void DescribeNonJsonExtractsTheHtmlTitle()
    {
        var html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";

        var text = ApiErrorParser.DescribeNonJson("text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

        Assert.Contains("502 Bad Gateway", text);
        Assert.Contains("text/html", text);
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain("nginx", text);
    }

    [Fact]
    public void DescribeNonJsonStripsTagsWhenThereIsNoTitle()
    {
        var text = ApiErrorParser.DescribeNonJson("text/html", Encoding.UTF8.GetBytes("<p>Service\n\tunavailable</p>"));

        Assert.Contains("Service unavailable", text);
        Assert.DoesNotContain("<p>", text);
    }

    [Fact]
    public void DescribeNonJsonOnAnEmptyBody()
    {
        var text = ApiErrorParser.DescribeNonJson(null, Array.Empty<byte>());

        Assert.Contains("empty", text);
        Assert.Contains("no content type", text);
    }

    [Fact]
    public void DescribeNonJsonOnWhitespaceOnlyHtml()
    {
        var text = ApiErrorParser.DescribeNonJson("text/html", Encoding.UTF8.GetBytes("<html>  <body>\r\n</body></html>"));

        Assert.Contains("empty", text);
        Assert.Contains("text/html", text);
    }

    [Fact]
    public void DescribeNonJsonShortensLongTextAndHidesControlCharacters()
    {
        var body = "\u0001\u001b[31m" + new string('x', 1000);

        var text = ApiErrorParser.DescribeNonJson("text/plain", Encoding.UTF8.GetBytes(body));

        Assert.EndsWith("...", text);
        Assert.True(text.Length < 300, $"Description is {text.Length} characters long.");
        Assert.DoesNotContain(text, char.IsControl);
    }
}
