using System.Runtime.ExceptionServices;

namespace ZAi.PowerShell.Tests;

/// <summary>
/// Counts the exceptions thrown while some work runs, caught or not, that a test says are its own (the hook is
/// process-wide, and other tests run beside it): for code that must not use exceptions as routine.
/// </summary>
internal static class FirstChance
{
    public static async Task<int> CountAsync(Func<Exception, bool> counts, Func<Task> work)
    {
        var thrown = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (counts(e.Exception)) Interlocked.Increment(ref thrown);
        }
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await work();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        return thrown;
    }

    public static int Count(Func<Exception, bool> counts, Action work) =>
        CountAsync(counts, () => { work(); return Task.CompletedTask; }).GetAwaiter().GetResult();
}
