using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Loading;
using ZAi.PowerShell.Models;
using ZAi;
using ZAi.PowerShell.Saving;
using ZAi.PowerShell.Transfer;

namespace ZAi.Smoke
{
    /// <summary>
    /// Runs the module's JSON parsing, API client and downloader against the emulator on whatever runtime starts
    /// it, and prints 'Smoke on RUNTIME: N passed, N failed'. Arguments: the emulator's API URL and API key.
    /// </summary>
    internal static class Program
    {
        private static int _passed;
        private static readonly List<string> Failures = new List<string>();

        private static async Task<int> Main(string[] args)
        {
            var runtime = RuntimeInformation.FrameworkDescription;
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: ZAi.Smoke <emulator API url> <emulator API key>");
                return 2;
            }
            var apiUrl = new Uri(args[0].TrimEnd('/') + "/");
            var folder = Path.Combine(Path.GetTempPath(), "zai-smoke-" + Guid.NewGuid().ToString("N"));
            try
            {
                await Step("parse a video result", ParseVideoResult);
                await Step("parse an unknown status and extra fields", ParseUnknownStatus);
                var id = "smoke-" + Guid.NewGuid().ToString("N");
                await Step("create an emulator task", () => CreateTask(apiUrl, id));
                AsyncResult? result = null;
                await Step("get the task over HTTP", async () => result = await GetTask(apiUrl, args[1], id));
                await Step("download its video", () => Download(result!, folder));
                await Step("a wrong API key is a ZAiApiException", () => WrongKey(apiUrl, id));
                await Step("the module's resolver loads a newer copy from its folder", ResolveFromFolder);
            }
            finally
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
            foreach (var failure in Failures) Console.WriteLine("FAILED: " + failure);
            Console.WriteLine($"Smoke on {runtime}: {_passed} passed, {Failures.Count} failed");
            return Failures.Count == 0 ? 0 : 1;
        }

        private static async Task Step(string name, Func<Task> step)
        {
            try
            {
                await step();
                _passed++;
                Console.WriteLine("ok: " + name);
            }
            catch (Exception ex)
            {
                Failures.Add($"{name}: {ex.GetType().FullName}: {ex.Message}");
            }
        }

        private static void Check(bool condition, string what)
        {
            if (!condition) throw new InvalidOperationException("expected " + what);
        }

        private static Task ParseVideoResult()
        {
            const string json = "{\"model\":\"cogvideox-3\",\"request_id\":\"r-1\",\"task_status\":\"SUCCESS\",\"video_result\":[{\"url\":\"https://cdn.example/v.mp4\",\"cover_image_url\":\"https://cdn.example/c.jpg\"}]}";
            using var doc = JsonDocument.Parse(json);
            var result = AsyncResultParser.Parse(doc.RootElement, "task-1", DateTime.UtcNow);
            Check(result.Id == "task-1", "the requested id");
            Check(result.StatusValue == AsyncTaskStatus.Success, "Success, got " + result.Status);
            Check(result.KindValue == ResultKind.Video, "Video, got " + result.Kind);
            Check(result.VideoResult.Count == 1 && result.VideoResult[0].Url == "https://cdn.example/v.mp4", "the video url");
            Check(result.VideoResult[0].CoverImageUrl == "https://cdn.example/c.jpg", "the cover url");
            return Task.CompletedTask;
        }

        private static Task ParseUnknownStatus()
        {
            using var doc = JsonDocument.Parse("{\"id\":\"t-2\",\"task_status\":\"QUEUED\",\"extra\":{\"a\":[1,2]}}");
            var result = AsyncResultParser.Parse(doc.RootElement, "t-2", DateTime.UtcNow);
            Check(result.StatusValue == AsyncTaskStatus.Unknown && result.TaskStatus == "QUEUED", "Unknown with the raw status kept");
            Check(!result.IsTerminal, "not terminal");
            Check(result.AdditionalProperties.ContainsKey("extra"), "the extra field kept");
            return Task.CompletedTask;
        }

        private static async Task CreateTask(Uri apiUrl, string id)
        {
            var root = new Uri(apiUrl.ToString().Substring(0, apiUrl.ToString().Length - "api/".Length));
            var body = "[{\"id\":\"" + id + "\",\"kind\":\"video\",\"mediaSize\":300000}]";
            using var http = new HttpClient();
            using var response = await http.PostAsync(new Uri(root, "_emulator/tasks"), new StringContent(body, Encoding.UTF8, "application/json"));
            Check(response.IsSuccessStatusCode, "the emulator to accept the task, got " + (int)response.StatusCode);
        }

        private static ConnectionSettings Settings(Uri apiUrl, string key) => new ConnectionSettings(
            apiUrl, "smoke", ApiKey.FromPlainText(key), "smoke", ConnectionSettings.DefaultLanguage,
            TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), maxRetries: 1);

        private static async Task<AsyncResult> GetTask(Uri apiUrl, string key, string id)
        {
            var client = new AsyncResultClient(new ApiRequestSender(Settings(apiUrl, key), NullLog.Instance));
            var result = await client.GetAsync(id, CancellationToken.None);
            Check(result.Id == id && result.StatusValue == AsyncTaskStatus.Success, "the task to be a Success");
            Check(result.VideoResult.Count == 1 && result.VideoResult[0].Url != null, "one video link");
            return result;
        }

        private static async Task Download(AsyncResult result, string folder)
        {
            Directory.CreateDirectory(folder);
            var video = result.VideoResult[0];
            var item = new MediaItem(result.Id, MediaKind.Video, 0, video.Url, null);
            var downloader = new FileDownloader(MediaHttpClient.Instance, new RetryPolicy(1), TimeSpan.FromSeconds(20), NullLog.Instance);
            var path = await downloader.DownloadAsync(item, folder, new DownloadProgress(item.BaseName), CancellationToken.None);
            Check(new FileInfo(path).Length == 300000, "300000 bytes on disk, got " + new FileInfo(path).Length);
            Check(!File.Exists(path + MediaFileNames.PartialSuffix) && Directory.GetFiles(folder).Length == 1, "only the final file in the folder");
        }

        private static Task ResolveFromFolder()
        {
            // What the resolver does for System.Memory on Windows PowerShell 5.1, done here directly with a real
            // Assembly.LoadFrom: Mono never asks, as it binds loosely.
            var folder = AppDomain.CurrentDomain.BaseDirectory;
            var resolver = new ModuleFolderResolver(folder);
            var buffers = resolver.OnAssemblyResolve(null, new ResolveEventArgs("System.Buffers, Version=4.0.2.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
            Check(buffers != null && buffers.GetName().Name == "System.Buffers" && buffers.GetName().Version >= new Version(4, 0, 2, 0), "System.Buffers loaded");
            Check(resolver.OnAssemblyResolve(null, new ResolveEventArgs("System.Buffers, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51")) == null, "no answer for a newer version than shipped");
            return Task.CompletedTask;
        }

        private static async Task WrongKey(Uri apiUrl, string id)
        {
            var client = new AsyncResultClient(new ApiRequestSender(Settings(apiUrl, "sk-wrong-key"), NullLog.Instance));
            try
            {
                await client.GetAsync(id, CancellationToken.None);
            }
            catch (ZAiApiException error)
            {
                Check(error.Message.IndexOf("sk-wrong-key", StringComparison.Ordinal) < 0, "no key in the message");
                return;
            }
            throw new InvalidOperationException("expected a ZAiApiException");
        }
    }
}
