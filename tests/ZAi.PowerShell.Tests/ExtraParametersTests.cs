using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Text.Json;
using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests;

/// <summary>The -Parameter hashtable: model-specific fields, checked where the API documents them.</summary>
public class ExtraParametersTests
{
    private static JsonElement VideoBody(IDictionary parameters) =>
        JsonDocument.Parse(GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", Model = "viduq1-text", Parameters = parameters }).ToJson()).RootElement;

    private static string Refused(IDictionary parameters) =>
        Assert.Throws<ArgumentException>(() => GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "x", Parameters = parameters })).Message;

    [Fact]
    public void Documented_vidu_fields_go_into_the_body_in_the_order_given()
    {
        var parameters = new OrderedDictionary { ["style"] = "anime", ["aspect_ratio"] = "9:16", ["movement_amplitude"] = "large", ["watermark_enabled"] = true };
        var body = VideoBody(parameters);
        Assert.Equal("anime", body.GetProperty("style").GetString());
        Assert.Equal("9:16", body.GetProperty("aspect_ratio").GetString());
        Assert.Equal("large", body.GetProperty("movement_amplitude").GetString());
        Assert.True(body.GetProperty("watermark_enabled").GetBoolean());
        Assert.Equal(new[] { "style", "aspect_ratio", "movement_amplitude", "watermark_enabled" }, body.EnumerateObject().Select(p => p.Name).Skip(3).ToArray());
    }

    [Fact]
    public void Future_fields_pass_through_with_their_json_types()
    {
        var body = VideoBody(new Hashtable
        {
            ["seed"] = 42,
            ["guidance"] = 7.5,
            ["tags"] = new object[] { "a", 1, true },
            ["camera"] = new Hashtable { ["pan"] = "left" },
            ["wrapped"] = new PSObject("text"),
            ["nothing"] = null,
        });
        Assert.Equal(42, body.GetProperty("seed").GetInt32());
        Assert.Equal(7.5, body.GetProperty("guidance").GetDouble());
        Assert.Equal(3, body.GetProperty("tags").GetArrayLength());
        Assert.Equal("left", body.GetProperty("camera").GetProperty("pan").GetString());
        Assert.Equal("text", body.GetProperty("wrapped").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nothing").ValueKind);
    }

    [Theory]
    [InlineData("style", "watercolor", "general, anime")]
    [InlineData("aspect_ratio", "4:3", "16:9, 9:16, 1:1")]
    [InlineData("movement_amplitude", "huge", "auto, small, medium, large")]
    public void Undocumented_values_of_documented_fields_are_refused(string key, string value, string allowed)
    {
        var message = Refused(new Hashtable { [key] = value });
        Assert.Contains($"'{key}'", message);
        Assert.Contains(allowed, message);
    }

    [Fact]
    public void Watermark_enabled_must_be_a_boolean()
    {
        Assert.Contains("$true or $false", Refused(new Hashtable { ["watermark_enabled"] = "false" }));
    }

    [Theory]
    [InlineData("quality", "-Quality")]
    [InlineData("PROMPT", "-Prompt")]
    [InlineData("request_id", "-RequestId")]
    [InlineData("image_url", "-ImageUrl")]
    public void Keys_that_a_parameter_sets_are_refused_naming_the_parameter(string key, string parameter)
    {
        Assert.Contains($"use {parameter} instead", Refused(new Hashtable { [key] = "x" }));
    }

    [Fact]
    public void Keys_differing_only_in_case_are_refused()
    {
        var parameters = new OrderedDictionary(StringComparer.Ordinal) { ["style"] = "anime", ["Style"] = "general" };
        Assert.Contains("twice", Refused(parameters));
    }

    [Fact]
    public void Values_that_are_not_json_are_refused_naming_the_field()
    {
        var message = Refused(new Hashtable { ["when"] = new object() });
        Assert.Contains("'when'", message);
        Assert.Contains("cannot be sent as JSON", message);
        Assert.Contains("'ratio'", Refused(new Hashtable { ["ratio"] = double.NaN }));
    }

    [Fact]
    public void An_empty_key_is_refused()
    {
        Assert.Contains("empty key", Refused(new Hashtable { [" "] = 1 }));
    }
}
