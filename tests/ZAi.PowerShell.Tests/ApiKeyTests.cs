using System.Security;
using ZAi.PowerShell.Client;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class ApiKeyTests
{
    private const string Secret = "sk-abcdef0123456789wxyz";

    [Fact]
    public void ToStringAndMaskedShowOnlyTheLastFourCharacters()
    {
        var key = ApiKey.FromPlainText(Secret);

        Assert.Equal("****wxyz", key.ToString());
        Assert.Equal("****wxyz", key.Masked);
        Assert.DoesNotContain(Secret, key.ToString());
        Assert.DoesNotContain(Secret, $"key: {key}");
        Assert.Equal(Secret, key.Reveal());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("abcd")]
    [InlineData("abcdefgh")]
    public void ShortKeysAreFullyMasked(string secret)
    {
        var key = ApiKey.FromPlainText(secret);

        Assert.Equal("****", key.ToString());
        Assert.Equal(secret, key.Reveal());
    }

    [Fact]
    public void NineCharacterKeyShowsFourCharactersOnly()
    {
        var key = ApiKey.FromPlainText("123456789");

        Assert.Equal("****6789", key.Masked);
        Assert.DoesNotContain("123456789", key.ToString());
    }

    [Fact]
    public void SurroundingWhitespaceIsTrimmed()
    {
        Assert.Equal(Secret, ApiKey.FromPlainText("  " + Secret + "\r\n").Reveal());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    public void EmptyOrWhitespaceKeyIsRejected(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => ApiKey.FromPlainText(secret));

        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData("sk-abc def-123456")]
    [InlineData("sk-abc\tdef-123456")]
    [InlineData("sk-abc\u00a0def-123456")]
    [InlineData("sk-abc\u0000def-123456")]
    [InlineData("sk-abc\u001bdef-123456")]
    public void InnerWhitespaceOrControlCharactersAreRejectedWithoutEchoingTheKey(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => ApiKey.FromPlainText(secret));

        Assert.Contains("whitespace or a control character", error.Message);
        Assert.DoesNotContain("def-123456", error.Message);
    }

    [Fact]
    public void FromSecureStringReadsTheKey()
    {
        using var secure = ToSecureString(Secret);

        var key = ApiKey.FromSecureString(secure);

        Assert.Equal(Secret, key.Reveal());
        Assert.Equal("****wxyz", key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData("bad key value")]
    public void FromSecureStringAppliesTheSameRules(string secret)
    {
        using var secure = ToSecureString(secret);

        Assert.Throws<ArgumentException>(() => ApiKey.FromSecureString(secure));
    }

    [Fact]
    public void RedactorReplacesEveryOccurrenceWithTheMaskedKey()
    {
        var key = ApiKey.FromPlainText(Secret);

        var redacted = SecretRedactor.Redact($"Bearer {Secret} was refused; got {Secret}", key);

        Assert.Equal("Bearer ****wxyz was refused; got ****wxyz", redacted);
        Assert.Equal("nothing here", SecretRedactor.Redact("nothing here", key));
        Assert.Equal($"kept {Secret}", SecretRedactor.Redact($"kept {Secret}", null));
    }

    private static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
