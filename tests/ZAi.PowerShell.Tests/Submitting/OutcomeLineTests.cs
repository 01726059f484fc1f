using ZAi.PowerShell.Submitting;
using Xunit;

namespace ZAi.PowerShell.Tests.Submitting;

/// <summary>The -Verbose line after a submission names the prompt (shortened), so a scheduler's log says which prompt got which task.</summary>
public class OutcomeLineTests
{
    private static AsyncResult Result(string id) => TestResults.Parse($$"""{"id":"{{id}}","model":"cogvideox-3","task_status":"PROCESSING"}""");

    [Fact]
    public void A_created_task_is_named_with_its_prompt()
    {
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = "a fox in snow", RequestId = "req-000001" });

        Assert.Equal("Video request 'req-000001' for 'a fox in snow': task 't-1' created (PROCESSING).", request.Outcome(Result("t-1")));
    }

    [Fact]
    public void A_long_prompt_is_shortened_and_kept_on_one_line()
    {
        var prompt = "line one\n" + new string('x', 100);
        var request = GenerationRequestFactory.Video(new VideoGenerationOptions { Prompt = prompt, RequestId = "req-000002" });

        var line = request.Outcome(Result("t-2"));

        Assert.Equal($"Video request 'req-000002' for '{("line one " + new string('x', 100)).Substring(0, 57)}...': task 't-2' created (PROCESSING).", line);
        Assert.DoesNotContain("\n", line);
    }

    [Fact]
    public void An_effect_without_a_prompt_says_so()
    {
        var request = VideoEffectRequestFactory.Create(new VideoEffectOptions { Template = "bodyshake", Image = "https://images.example/a.png" });

        Assert.StartsWith("Video effect request '" + request.RequestId + "' (no prompt): task 't-3' created", request.Outcome(Result("t-3")));
    }
}
