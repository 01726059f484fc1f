using ZAi.PowerShell.Journal;
using Xunit;

namespace ZAi.PowerShell.Tests.Ledger;

/// <summary>A journal entry's request id: the module's own ids held as 16 bytes, any other as written, each given back exactly.</summary>
public sealed class RequestIdValueTests
{
    [Theory]
    [InlineData("6408f7ec35d1404cb877024c0d967f3b")]   // a Guid's "N" digits, as the module chooses them
    [InlineData("00000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffff")]
    [InlineData("6408F7EC35D1404CB877024C0D967F3B")]   // upper case: held as written, so it comes back as written
    [InlineData("6408f7ec35d1404cb877024c0d967f3")]    // 31 digits
    [InlineData("6408f7ec35d1404cb877024c0d967f3b0")]  // 33 digits
    [InlineData("6408f7ec35d1404cb877024c0d967f3g")]
    [InlineData("-8802648481093947843")]               // an id as Z.AI's own clients send them
    [InlineData("packed")]                             // the text of the mark that says "held as bits"
    [InlineData("my run 1")]
    public void AnIdComesBackExactlyAsWrittenAndIsOnlyItself(string id)
    {
        var value = RequestIdValue.From(id);

        Assert.Equal(id, value.ToString());
        Assert.False(value.IsEmpty);
        Assert.True(value.Is(id));
        var otherCase = string.Equals(id.ToUpperInvariant(), id, StringComparison.Ordinal) ? id.ToLowerInvariant() : id.ToUpperInvariant();
        Assert.Equal(string.Equals(otherCase, id, StringComparison.Ordinal), value.Is(otherCase));
        Assert.False(value.Is(id + "0"));
        Assert.False(value.Is(string.Empty));
    }

    [Theory]
    [InlineData("6408f7ec35d1404cb877024c0d967f3b", true)]
    [InlineData("00000000000000000000000000000000", true)]
    [InlineData("6408F7EC35D1404CB877024C0D967F3B", false)]
    [InlineData("6408f7ec35d1404cb877024c0d967f3", false)]
    [InlineData("-8802648481093947843", false)]
    [InlineData("packed", false)]
    public void OnlyThirtyTwoLowerCaseHexDigitsAreHeldAsBytes(string id, bool packed)
    {
        Assert.Equal(packed, RequestIdValue.From(id).IsPacked);
    }

    [Fact]
    public void TwoPackedIdsDifferingInOneDigitOfEitherHalfAreDifferent()
    {
        var id = "0123456789abcdef0123456789abcdef";
        var value = RequestIdValue.From(id);

        Assert.False(value.Is("1123456789abcdef0123456789abcdef"));
        Assert.False(value.Is("0123456789abcdef0123456789abcdee"));
        Assert.True(value.Is(new string(id.ToCharArray())));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoIdIsEmpty(string? id)
    {
        var value = RequestIdValue.From(id);

        Assert.True(value.IsEmpty);
        Assert.Equal(string.Empty, value.ToString());
        Assert.True(value.Is(null));
        Assert.True(value.Is(string.Empty));
        Assert.False(value.Is("6408f7ec35d1404cb877024c0d967f3b"));
        Assert.True(default(RequestIdValue).IsEmpty);
    }
}
