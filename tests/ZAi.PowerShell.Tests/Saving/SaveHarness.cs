using System.Management.Automation;
using System.Text;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Journal;
using ZAi.PowerShell.Pipeline;
using ZAi.PowerShell.Tests.Engine;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.PowerShell.Tests.Saving;

/// <summary>
/// Runs Save-ZAiMedia's MediaSaver the way the cmdlet does (Add per input on this thread, then Complete), writing
/// through a <see cref="ThreadCheckingSink"/>. Inputs are image results whose images come inline (base64), so
/// files are real and no request is sent, or video results whose links point at the emulator (its own media
/// client, virtual time); a journal is written line by line as Start-* would have left it.
/// </summary>
internal sealed class SaveHarness : IDisposable
{
    private readonly List<string> _cleanup = new();
    private readonly HttpClient _client = MediaHttpClient.Create(ProxyRoute.Direct);

    public SaveHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "zai-save-" + Guid.NewGuid().ToString("n").Substring(0, 10));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public ThreadCheckingSink Sink { get; private set; } = new();

    /// <summary>How many times a shallow input asked the API for its links.</summary>
    public int Fetches { get; private set; }

    /// <summary>Writes a journal whose tasks were accepted (submit and accepted lines), one per (task, prompt).</summary>
    public string Journal(params (string Task, string Prompt)[] tasks)
    {
        var path = Path.Combine(Root, "j-" + Guid.NewGuid().ToString("n").Substring(0, 6) + ".jsonl");
        using var file = File.Create(path);
        var n = 0;
        foreach (var (task, prompt) in tasks)
        {
            n++;
            var submit = new JournalRecord { Type = JournalRecord.SubmitType, TimeUtc = DateTime.UtcNow, RequestId = "r" + n, Key = "k" + n, Occurrence = 1, Prompt = prompt, Endpoint = "/paas/v4/images/generations" };
            var accepted = new JournalRecord { Type = JournalRecord.AcceptedType, TimeUtc = DateTime.UtcNow, RequestId = "r" + n, Key = "k" + n, Occurrence = 1, Prompt = prompt, TaskId = task };
            file.Write(submit.ToLine());
            file.Write(accepted.ToLine());
        }
        return path;
    }

    /// <summary>A finished image task with one inline image holding <paramref name="bytes"/>.</summary>
    public static PSObject Image(string task, string prompt, string bytes, string? journal)
    {
        var image = new PSObject();
        image.Properties.Add(new PSNoteProperty("B64Json", Convert.ToBase64String(Encoding.UTF8.GetBytes(bytes))));
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Id", task));
        result.Properties.Add(new PSNoteProperty("TaskStatus", "SUCCESS"));
        result.Properties.Add(new PSNoteProperty("Kind", "Image"));
        result.Properties.Add(new PSNoteProperty("Prompt", prompt));
        result.Properties.Add(new PSNoteProperty("ImageResult", new object[] { image }));
        if (journal != null) result.Properties.Add(new PSNoteProperty("Journal", journal));
        return result;
    }

    /// <summary>A finished video task with one video at <paramref name="url"/> (no cover).</summary>
    public static PSObject Video(string task, string url, string? journal = null)
    {
        var video = new PSObject();
        video.Properties.Add(new PSNoteProperty("Url", url));
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Id", task));
        result.Properties.Add(new PSNoteProperty("TaskStatus", "SUCCESS"));
        result.Properties.Add(new PSNoteProperty("Kind", "Video"));
        result.Properties.Add(new PSNoteProperty("VideoResult", new object[] { video }));
        if (journal != null) result.Properties.Add(new PSNoteProperty("Journal", journal));
        return result;
    }

    /// <summary>The same task as Wait passes on a task its journal records as saved: SUCCESS with no links.</summary>
    public static PSObject Linkless(string task, string prompt, string journal)
    {
        var result = new PSObject();
        result.Properties.Add(new PSNoteProperty("Id", task));
        result.Properties.Add(new PSNoteProperty("TaskStatus", "SUCCESS"));
        result.Properties.Add(new PSNoteProperty("Kind", "Image"));
        result.Properties.Add(new PSNoteProperty("Prompt", prompt));
        result.Properties.Add(new PSNoteProperty("ImageResult", Array.Empty<object>()));
        result.Properties.Add(new PSNoteProperty("Journal", journal));
        return result;
    }

    public SaveOptions Options(string folder, bool force = false, string? template = null, params MediaKind[] kinds) =>
        new SaveOptions(Path.Combine(Root, folder), kinds.Length == 0 ? new[] { MediaKind.Video, MediaKind.Cover, MediaKind.Image } : kinds)
        {
            Force = force,
            NameTemplate = template is null ? null : MediaNameTemplate.Parse(template),
            ThrottleLimit = 4,
        };

    /// <summary>One Save run over the inputs, with a fresh sink; returns the files it wrote to the pipeline.</summary>
    public List<SavedMediaFile> Run(SaveOptions options, params PSObject[] inputs) => Run(options, null, inputs);

    /// <summary>What ShouldProcess answers in the runs (false: -WhatIf).</summary>
    public bool Approve { get; set; } = true;

    /// <summary>How folder names compare in the runs (null: this platform's).</summary>
    public StringComparer? Folders { get; set; }

    public List<SavedMediaFile> Run(SaveOptions options, Func<PSObject, PSObject>? fetch, params PSObject[] inputs)
    {
        Sink = new ThreadCheckingSink();
        Sink.Inner.Approve = Approve;
        using var queue = new WriteQueue();
        using var stop = new CancellationTokenSource();
        var inputsPlanner = new SaveInputs(options.Kinds, options.NameTemplate, () => { Fetches++; throw new InvalidOperationException("no API in this test"); }, _ => { }, NullLog.Instance);
        var downloader = new FileDownloader(_client, new RetryPolicy(0), TimeSpan.FromSeconds(10), NullLog.Instance, clock: new ManualClock());
        var saver = new MediaSaver(options, inputsPlanner, downloader, Sink, queue, stop.Token, Folders);
        try
        {
            foreach (var input in inputs) saver.Add(input);
            saver.Complete();
        }
        finally
        {
            saver.Dispose();
        }
        return Sink.Outputs.OfType<SavedMediaFile>().ToList();
    }

    public static string Text(string path) => File.ReadAllText(path);

    public static IReadOnlyList<LedgerEntry> Entries(string journal) => JournalFile.ReadOnly(journal).Entries();

    public void Dispose()
    {
        _client.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
