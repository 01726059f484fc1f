using System.Collections;
using System.Text;
using System.Text.Json;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>Validation and body building of submissions, without a network.</summary>
public class GenerationRequestFactoryTests
{
    private static JsonElement Body(GenerationRequest request) => JsonDocument.Parse(request.ToJson()).RootElement;

    private static string[] FieldNames(GenerationRequest request) => Body(request).EnumerateObject().Select(p => p.Name).ToArray();

    private static ArgumentException Refused(Func<GenerationRequest> build) => Assert.Throws<ArgumentException>(() => build());

    [Fact]
    public void A_video_request_holds_every_field_in_the_API_order()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions
        {
            Prompt = "a fox in snow",
            Images = new[] { "https://img.example/a.png" },
            Quality = "quality",
            WithAudio = true,
            Size = "1920x1080",
            Fps = 60,
            Duration = 10,
            RequestId = "req-000001",
            UserId = "user-42",
            Parameters = new Hashtable { ["watermark_enabled"] = false },
        });

        Assert.Equal(
            new[] { "model", "prompt", "image_url", "quality", "with_audio", "size", "fps", "duration", "request_id", "user_id", "watermark_enabled" },
            FieldNames(request));
        var body = Body(request);
        Assert.Equal("cogvideox-3", body.GetProperty("model").GetString());
        Assert.Equal("a fox in snow", body.GetProperty("prompt").GetString());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("image_url").ValueKind);
        Assert.Equal("https://img.example/a.png", body.GetProperty("image_url")[0].GetString());
        Assert.True(body.GetProperty("with_audio").GetBoolean());
        Assert.Equal(60, body.GetProperty("fps").GetInt32());
        Assert.Equal(10, body.GetProperty("duration").GetInt32());
        Assert.Equal("req-000001", body.GetProperty("request_id").GetString());
        Assert.False(body.GetProperty("watermark_enabled").GetBoolean());
        Assert.True(request.RequestIdGiven);
        Assert.Equal("Video request 'req-000001'", request.Subject);
    }

    [Fact]
    public void Unset_options_are_left_out_and_a_request_id_is_generated()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "waves" });
        Assert.Equal(new[] { "model", "prompt", "request_id" }, FieldNames(request));
        Assert.False(request.RequestIdGiven);
        Assert.Matches("^[0-9a-f]{32}$", request.RequestId);
        Assert.NotEqual(request.RequestId, GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "waves" }).RequestId);
        Assert.Equal(request.RequestId, Body(request).GetProperty("request_id").GetString());
    }

    [Fact]
    public void The_request_id_is_fixed_when_the_request_is_built_so_every_attempt_sends_the_same_body()
    {
        var request = GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = "a lighthouse" });
        Assert.Equal(request.ToJson(), request.ToJson());
        Assert.Equal(request.RequestId, Body(request).GetProperty("request_id").GetString());
    }

    [Fact]
    public void A_video_can_start_from_an_image_alone()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Images = new[] { "https://img.example/a.png", "https://img.example/b.png" } });
        Assert.Equal(new[] { "model", "image_url", "request_id" }, FieldNames(request));
        Assert.Equal(2, Body(request).GetProperty("image_url").GetArrayLength());
    }

    [Fact]
    public void A_video_needs_a_prompt_or_an_image()
    {
        var error = Refused(() => GenerationRequestFactory.Video(new VideoGenerationOptions()));
        Assert.Contains("-Prompt", error.Message);
        Assert.Contains("-ImageUrl", error.Message);
    }

    [Fact]
    public void A_video_prompt_is_at_most_512_characters()
    {
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = new string('a', 512) });
        var error = Refused(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = new string('a', 513) }));
        Assert.Contains("513 characters", error.Message);
        Assert.Contains("512", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_prompt_is_refused(string prompt)
    {
        Assert.Contains("-Prompt is empty", Refused(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt })).Message);
        Assert.Contains("-Prompt is empty", Refused(() => GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = prompt })).Message);
    }

    [Fact]
    public void First_and_last_frame_mode_takes_speed_only()
    {
        var options = new VideoGenerationOptions { Images = new[] { "https://a.example/1.png", "https://a.example/2.png" }, Quality = "quality" };
        Assert.Contains("first and last frame", Refused(() => GenerationRequestFactory.Video(options)).Message);
        options.Quality = "speed";
        Assert.Equal("speed", Body(GenerationRequestFactory.Video(options)).GetProperty("quality").GetString());
    }

    [Fact]
    public void More_than_two_images_are_refused()
    {
        var options = new VideoGenerationOptions { Images = new[] { "https://a.example/1.png", "https://a.example/2.png", "https://a.example/3.png" } };
        Assert.Contains("3 images", Refused(() => GenerationRequestFactory.Video(options)).Message);
    }

    [Theory]
    [InlineData("-Quality", "best")]
    [InlineData("-Fps", "24")]
    [InlineData("-Duration", "7")]
    public void Video_values_outside_the_documented_ones_are_refused(string parameter, string value)
    {
        var options = new VideoGenerationOptions { Prompt = "x" };
        switch (parameter)
        {
            case "-Quality": options.Quality = value; break;
            case "-Fps": options.Fps = int.Parse(value); break;
            case "-Duration": options.Duration = int.Parse(value); break;
        }
        var error = Refused(() => GenerationRequestFactory.Video(options));
        Assert.Contains($"{parameter} '{value}'", error.Message);
    }

    [Theory]
    [InlineData("cogvideox-3", "1920x1080", true)]
    [InlineData("cogvideox-3", "3840x2160", true)]
    [InlineData("cogvideox-3", "1000x1000", false)]
    [InlineData("viduq1-text", "1000x1000", true)]
    [InlineData("viduq1-text", "1920*1080", false)]
    [InlineData("cogvideox-3", "big", false)]
    public void Video_sizes_follow_the_model(string model, string size, bool accepted)
    {
        var options = new VideoGenerationOptions { Prompt = "x", Model = model, Size = size };
        if (accepted) Assert.Equal(size, Body(GenerationRequestFactory.Video(options)).GetProperty("size").GetString());
        else Assert.Contains($"-Size '{size}'", Refused(() => GenerationRequestFactory.Video(options)).Message);
    }

    [Theory]
    [InlineData("1280x1280", true)]
    [InlineData("2048x2048", true)]
    [InlineData("1024x1056", true)]
    [InlineData("1000x1280", false)]
    [InlineData("2080x1280", false)]
    [InlineData("1280x1290", false)]
    [InlineData("2048x2080", false)]
    public void Glm_image_sizes_are_1024_to_2048_in_steps_of_32(string size, bool accepted)
    {
        var options = new ImageGenerationOptions { Prompt = "x", Size = size };
        if (accepted) Assert.Equal(size, Body(GenerationRequestFactory.Image(options)).GetProperty("size").GetString());
        else Assert.Contains("multiple of 32", Refused(() => GenerationRequestFactory.Image(options)).Message);
    }

    [Fact]
    public void An_image_request_has_its_fields_and_quality_is_checked()
    {
        var request = GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = "a lighthouse", Quality = "hd", Size = "1568x1056", UserId = "user-42" });
        Assert.Equal(new[] { "model", "prompt", "quality", "size", "request_id", "user_id" }, FieldNames(request));
        Assert.Equal("glm-image", Body(request).GetProperty("model").GetString());
        Assert.Equal("Image request '" + request.RequestId + "'", request.Subject);
        Assert.Contains("-Quality 'ultra'", Refused(() => GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = "x", Quality = "ultra" })).Message);
        Assert.Contains("-Prompt is required", Refused(() => GenerationRequestFactory.Image(new ImageGenerationOptions())).Message);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("")]
    public void A_user_id_is_6_to_128_characters(string userId)
    {
        var error = Refused(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", UserId = userId }));
        Assert.Contains("-UserId", error.Message);
        GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", UserId = new string('u', 128) });
        Assert.Throws<ArgumentException>(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", UserId = new string('u', 129) }));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("a\nb")]
    public void A_request_id_must_be_text_without_control_characters(string requestId)
    {
        Assert.Contains("-RequestId", Refused(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", RequestId = requestId })).Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(65)]
    public void A_request_id_outside_6_to_64_characters_is_refused_naming_its_length_and_the_range(int length)
    {
        var requestId = length == 5 ? "\U0001F30Aabcd" : new string('r', length);   // 5 characters, 6 UTF-16 units
        foreach (var build in new Func<GenerationRequest>[]
        {
            () => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", RequestId = requestId }),
            () => GenerationRequestFactory.Image(new ImageGenerationOptions { Prompt = "x", RequestId = requestId }),
            () => ChatRequestFactory.Create(new ChatCompletionOptions { Prompt = "x", Model = "glm-4.6", RequestId = requestId }),
            () => VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/me.png", RequestId = requestId }),
        })
        {
            Assert.Equal($"-RequestId is {length} characters long; the API takes 6 to 64.", Refused(build).Message);
        }
    }

    [Theory]
    [InlineData("-88026")]
    [InlineData("-8802648481093947843")]
    [InlineData("--dash-first-and-64-characters-long-xxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("\U0001F30A\U0001F30A\U0001F30A-waves")]   // 9 characters in 12 UTF-16 units
    public void A_request_id_of_6_to_64_characters_is_sent_as_given_even_with_a_leading_dash(string requestId)
    {
        Assert.InRange(GenerationRules.Characters(requestId), 6, 64);
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", RequestId = requestId });
        Assert.Equal(requestId, request.RequestId);
        Assert.Equal(requestId, Body(request).GetProperty("request_id").GetString());
    }

    [Fact]
    public void The_fingerprint_ignores_the_request_id_but_not_the_fields()
    {
        var a = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", RequestId = "id-000001" });
        var b = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", RequestId = "id-000002" });
        var c = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "y", RequestId = "id-000001" });
        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.NotEqual(a.Fingerprint(), c.Fingerprint());
    }

    [Fact]
    public void Describe_shortens_inline_images_but_keeps_urls_and_the_prompt()
    {
        var inline = "data:image/png;base64," + new string('A', 4000);
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = new string('p', 500), Images = new[] { inline, "https://img.example/b.png" } });
        var shown = request.Describe();
        Assert.DoesNotContain(new string('A', 200), shown);
        Assert.Contains($"({inline.Length} characters)", shown);
        Assert.Contains("https://img.example/b.png", shown);
        Assert.Contains(new string('p', 500), shown);
        Assert.Contains(new string('A', 4000), Encoding.UTF8.GetString(request.ToJson()));
    }

    [Fact]
    public void Non_ascii_prompts_stay_readable_in_the_body_and_in_Describe()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "雪地里的红狐狸 \"quoted\"" });
        Assert.Contains("雪地里的红狐狸", request.Describe());
        Assert.Contains("雪地里的红狐狸", Encoding.UTF8.GetString(request.ToJson()));
        Assert.Equal("雪地里的红狐狸 \"quoted\"", Body(request).GetProperty("prompt").GetString());
    }

    [Fact]
    public void ShortPrompt_fits_one_line()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "line one\nline two " + new string('z', 100) });
        var shortPrompt = request.ShortPrompt();
        Assert.Equal(60, shortPrompt.Length);
        Assert.DoesNotContain('\n', shortPrompt);
        Assert.EndsWith("...", shortPrompt);
    }
}
