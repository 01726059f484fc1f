using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>-ImageUrl values: URLs and data URIs as they are, local files read and checked.</summary>
public sealed class ImageInputTests : IDisposable
{
    private static readonly byte[] Png = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };
    private static readonly byte[] Jpeg = { 0xFF, 0xD8, 0xFF, 0xE0, 5, 6, 7 };
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zai-image-" + Guid.NewGuid().ToString("N"));

    public ImageInputTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Resolve(string value) => ImageInput.Resolve(value, path => Path.GetFullPath(path));

    [Theory]
    [InlineData("https://img.example/frame.png")]
    [InlineData("HTTP://img.example/frame.jpg?sig=1")]
    [InlineData("data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("data:image/jpeg;base64,/9j/4AAQ")]
    public void Urls_and_data_uris_are_sent_as_they_are(string value)
    {
        Assert.Equal(value, Resolve(value));
    }

    [Fact]
    public void A_local_png_becomes_a_png_data_uri()
    {
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), Resolve(File("frame.png", Png)));
    }

    [Fact]
    public void A_local_jpeg_is_recognised_by_its_bytes_not_its_name()
    {
        Assert.Equal("data:image/jpeg;base64," + Convert.ToBase64String(Jpeg), Resolve(File("frame.bin", Jpeg)));
    }

    [Fact]
    public void The_path_resolver_is_used_for_local_paths()
    {
        var path = File("a.png", Png);
        var asked = new List<string>();
        ImageInput.Resolve("~/a.png", given => { asked.Add(given); return path; });
        Assert.Equal(new[] { "~/a.png" }, asked);
    }

    [Fact]
    public void A_file_that_is_not_png_or_jpeg_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Resolve(File("frame.gif", "GIF89a..."u8.ToArray())));
        Assert.Contains("not a PNG or JPEG", error.Message);
    }

    [Fact]
    public void A_file_over_5_MiB_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_folder, "big.png");
        using (var stream = System.IO.File.Create(path))
        {
            stream.Write(Png);
            stream.SetLength(ImageInput.MaxBytes + 1);
        }
        var error = Assert.Throws<ArgumentException>(() => Resolve(path));
        Assert.Contains($"{ImageInput.MaxBytes + 1} bytes", error.Message);
        Assert.Contains("5 MiB", error.Message);
    }

    [Fact]
    public void A_file_of_exactly_5_MiB_is_taken()
    {
        var bytes = new byte[ImageInput.MaxBytes];
        Png.CopyTo(bytes, 0);
        Assert.StartsWith("data:image/png;base64,", Resolve(File("max.png", bytes)));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => Resolve(Path.Combine(_folder, "missing.png")));
        Assert.Contains("missing.png", error.Message);
        Assert.Contains("no such file", error.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("ftp://host/frame.png", "ftp")]
    [InlineData("javascript:alert(1)", "javascript")]
    public void Other_schemes_are_refused_without_reading_anything(string value, string scheme)
    {
        var error = Assert.Throws<ArgumentException>(() => ImageInput.Resolve(value, _ => throw new InvalidOperationException("must not resolve")));
        Assert.Contains($"'{scheme}:'", error.Message);
    }

    [Theory]
    [InlineData("data:text/html;base64,PGgxPg==")]
    [InlineData("data:image/png,raw")]
    public void Data_uris_that_are_not_base64_png_or_jpeg_are_refused(string value)
    {
        Assert.Contains("data URI", Assert.Throws<ArgumentException>(() => Resolve(value)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_value_is_refused(string value)
    {
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Resolve(value)).Message);
    }

    [Fact]
    public void Bare_base64_that_is_not_a_file_is_sent_as_it_is()
    {
        var base64 = Convert.ToBase64String(new byte[96]);
        Assert.Equal(base64, Resolve(base64));
    }

    [Fact]
    public void A_resolver_failure_is_reported_as_an_argument_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageInput.Resolve("NoDrive:\\x.png", _ => throw new DriveNotFoundException("Cannot find drive NoDrive.")));
        Assert.Contains("Cannot find drive NoDrive.", error.Message);
    }
}
