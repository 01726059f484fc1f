using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using ZAi;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>How the views show dates (IsoDate.Display) and journal files (TextList): one text in every culture.</summary>
public class DisplayTextTests
{
    private static readonly DateTime Utc = new DateTime(2026, 12, 7, 3, 52, 39, 993, DateTimeKind.Utc);

    private static string Expected(DateTime utc) =>
        new DateTimeOffset(utc).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("en-US")]
    [InlineData("de-DE")]
    [InlineData("fa-IR")]
    [InlineData("ar-SA")]
    public void ADateReadsTheSameInEveryCulture(string culture)
    {
        var before = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new CultureInfo(culture);
            Assert.Equal(Expected(Utc), IsoDate.Display(Utc));
            Assert.Equal(Expected(Utc), IsoDate.Display(new DateTimeOffset(Utc)));
            Assert.Equal(Expected(Utc), IsoDate.Display(new PSObject(Utc)));
            Assert.Matches(@"^2026-12-0[67] \d\d:52:39 [+-]\d\d:\d\d$", IsoDate.Display(Utc));
        }
        finally { Thread.CurrentThread.CurrentCulture = before; }
    }

    [Fact]
    public void AnUnspecifiedDateIsUtcAndNothingIsEmpty()
    {
        Assert.Equal(Expected(Utc), IsoDate.Display(DateTime.SpecifyKind(Utc, DateTimeKind.Unspecified)));
        Assert.Equal(string.Empty, IsoDate.Display(null));
        Assert.Equal(string.Empty, IsoDate.Display("2026-12-07"));
    }

    [Fact]
    public void FilesReadAsOneTextAndStayAList()
    {
        var files = new TextList(new[] { "/a/x.mp4", "/a/x.cover.jpg" });

        Assert.Equal("/a/x.mp4; /a/x.cover.jpg", files.ToString());
        Assert.Equal(2, files.Count);
        Assert.Equal("/a/x.cover.jpg", files[1]);
        Assert.Equal(string.Empty, new TextList(Array.Empty<string>()).ToString());
    }
}
