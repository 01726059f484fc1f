using System.Net.Http.Headers;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2025, 10, 21, 7, 28, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("120", 120)]
    [InlineData("1.5", 1.5)]
    [InlineData("  7  ", 7)]
    [InlineData("-5", 0)]
    public void DeltaSeconds(string value, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(value, Now));
    }

    [Fact]
    public void HttpDateIsRelativeToNow()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterHeader.Parse("Tue, 21 Oct 2025 07:28:30 GMT", Now));
        Assert.Equal(TimeSpan.FromHours(2), RetryAfterHeader.Parse("Tue, 21 Oct 2025 09:28:00 GMT", Now));
    }

    [Theory]
    [InlineData("Tue, 21 Oct 2025 07:28:00 GMT")]
    [InlineData("Tue, 21 Oct 2025 07:27:59 GMT")]
    [InlineData("Thu, 01 Jan 2015 00:00:00 GMT")]
    public void PastOrPresentDateIsZero(string value)
    {
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("soon")]
    [InlineData("five seconds")]
    [InlineData("0x10")]
    public void GarbageIsNull(string? value)
    {
        Assert.Null(RetryAfterHeader.Parse(value, Now));
    }

    [Fact]
    public void NotANumberIsGarbage()
    {
        Assert.Null(RetryAfterHeader.Parse("NaN", Now));
    }

    [Theory]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    [InlineData("99999999999")]
    public void HugeValuesDoNotOverflowAndAreCappedByThePolicy(string value)
    {
        var parsed = RetryAfterHeader.Parse(value, Now);

        Assert.NotNull(parsed);
        Assert.True(parsed > TimeSpan.FromHours(1));
        Assert.Equal(RetryPolicy.MaxRetryAfter, new RetryPolicy(1).Delay(0, parsed));
    }

    [Fact]
    public void FarFutureDateIsCappedAtMaxRetryAfterByThePolicy()
    {
        var parsed = RetryAfterHeader.Parse("Wed, 22 Oct 2025 07:28:00 GMT", Now);

        Assert.Equal(TimeSpan.FromDays(1), parsed);
        Assert.Equal(RetryPolicy.MaxRetryAfter, new RetryPolicy(1).Delay(0, parsed));
    }

    [Fact]
    public void ReadTakesTheHeaderFromAResponse()
    {
        using var seconds = new HttpResponseMessage();
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
        using var date = new HttpResponseMessage();
        date.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddMinutes(1));
        using var none = new HttpResponseMessage();
        using var invalid = new HttpResponseMessage();
        invalid.Headers.TryAddWithoutValidation("Retry-After", "later");

        Assert.Equal(TimeSpan.FromSeconds(5), RetryAfterHeader.Read(seconds.Headers, Now));
        Assert.Equal(TimeSpan.FromMinutes(1), RetryAfterHeader.Read(date.Headers, Now));
        Assert.Null(RetryAfterHeader.Read(none.Headers, Now));
        Assert.Null(RetryAfterHeader.Read(invalid.Headers, Now));
    }
}
