using System;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Timing
{
    /// <summary>
    /// Time as the module's schedulers see it (poll intervals, rate-limit pauses, the download watchdog,
    /// queue deadlines). Injected so that tests run them in virtual time instead of sleeping.
    /// </summary>
    internal interface IClock
    {
        /// <summary>Wall-clock time, for what users see and for deadlines given as times of day.</summary>
        DateTime UtcNow { get; }

        /// <summary>Monotonic time since an arbitrary start: only differences mean anything.</summary>
        TimeSpan Elapsed { get; }

        /// <summary>Completes after <paramref name="delay"/>; cancelled by <paramref name="cancellationToken"/>.</summary>
        Task Delay(TimeSpan delay, CancellationToken cancellationToken);

        /// <summary>
        /// Calls <paramref name="callback"/> every <paramref name="period"/> until the result is disposed. Once
        /// Dispose returns, no callback is running and none will start.
        /// </summary>
        IDisposable Every(TimeSpan period, Action callback);
    }
}
