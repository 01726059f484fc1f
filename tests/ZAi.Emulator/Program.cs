using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ZAi.Emulator;

/// <summary>
/// Runs the emulator as a process: <c>--port N</c>, <c>--api-key K</c> (repeatable),
/// <c>--latency-ms N</c>, <c>--parent-pid P</c>, <c>--help</c> (see <see cref="EmulatorHelp"/>). Prints <c>ZAI_EMULATOR_URL=...</c> once listening.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "--help" or "-h" or "-?" or "/?"))
        {
            await Console.Out.WriteAsync(EmulatorHelp.Text);
            return 0;
        }
        EmulatorOptions options;
        int? parentPid;
        try
        {
            (options, parentPid) = ParseArgs(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("ZAi.Emulator: " + e.Message);
            await Console.Error.WriteLineAsync(EmulatorHelp.Usage);
            await Console.Error.WriteLineAsync("ZAi.Emulator --help lists every option and setting.");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        await using EmulatorServer server = await EmulatorServer.StartAsync(options, stop.Token);
        Console.Out.WriteLine("ZAI_EMULATOR_URL=" + server.BaseUrl.ToString().TrimEnd('/'));
        Console.Out.Flush();

        try
        {
            if (parentPid is int pid)
            {
                await WatchParentAsync(pid, stop.Token);
            }
            else
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        Console.CancelKeyPress -= onCancel;
        return 0;
    }

    /// <summary>Returns when the parent process is gone (polled every 500 ms) or on cancellation.</summary>
    private static async Task WatchParentAsync(int pid, CancellationToken ct)
    {
        DateTime? startTime = ProcessStartTime(pid);
        if (startTime is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (await timer.WaitForNextTickAsync(ct))
        {
            DateTime? now = ProcessStartTime(pid);
            if (now is null || now != startTime) return; // gone, or the pid was reused
        }
    }

    private static DateTime? ProcessStartTime(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.HasExited ? null : process.StartTime;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    private static (EmulatorOptions Options, int? ParentPid) ParseArgs(string[] args)
    {
        var options = new EmulatorOptions();
        bool keysGiven = false;
        int? parentPid = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--port":
                    options.Port = ParseInt(name, Value(), 0, 65535);
                    break;
                case "--api-key":
                    if (!keysGiven)
                    {
                        options.ApiKeys.Clear();
                        keysGiven = true;
                    }
                    options.ApiKeys.Add(Value());
                    break;
                case "--latency-ms":
                    options.LatencyMs = ParseInt(name, Value(), 0, int.MaxValue);
                    break;
                case "--https-certificate":
                    options.CertificatePath = Value();
                    if (!File.Exists(options.CertificatePath)) throw new ArgumentException($"--https-certificate: no file '{options.CertificatePath}'.");
                    break;
                case "--parent-pid":
                    parentPid = ParseInt(name, Value(), 1, int.MaxValue);
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{name}'.");
            }
        }
        return (options, parentPid);
    }

    private static int ParseInt(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be an integer from {min} to {max}, not '{text}'.");
}
