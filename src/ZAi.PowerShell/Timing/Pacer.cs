using System;

namespace ZAi.PowerShell.Timing
{
    /// <summary>
    /// The module's one time-based throttle, for work that must not run on every event (a progress bar, a
    /// checkpoint file): <see cref="TryPass"/> lets a call through at most once per interval on the injected
    /// clock, and always when forced (on completion, so the last state is never held back). Thread-safe.
    /// </summary>
    internal sealed class Pacer
    {
        private readonly object _lock = new object();
        private readonly IClock _clock;
        private readonly TimeSpan _interval;
        private TimeSpan? _last;

        /// <param name="holdFirst">True: the first interval starts now, so an unforced call passes only after it (a checkpoint just written); false: the first call passes.</param>
        public Pacer(IClock clock, TimeSpan interval, bool holdFirst = false)
        {
            _clock = clock;
            _interval = interval;
            if (holdFirst) _last = clock.Elapsed;
        }

        /// <summary>True when the call may go ahead (and the next interval starts now); false while it is held back.</summary>
        /// <param name="force">Passes whatever the time (a completion).</param>
        public bool TryPass(bool force = false)
        {
            lock (_lock)
            {
                var now = _clock.Elapsed;
                if (!force && _last.HasValue && now - _last.Value < _interval) return false;
                _last = now;
                return true;
            }
        }
    }
}
