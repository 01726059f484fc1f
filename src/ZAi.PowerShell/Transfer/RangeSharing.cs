using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Timing;

namespace ZAi.PowerShell.Transfer
{
    /// <summary>
    /// Which connection of a ranged download writes which bytes. Free ranges are handed out; once none is left, a
    /// connection that finished its own takes over the unfinished part of the range that would take longest at its
    /// connection's rate (as aria2 re-splits): the rest is split where both connections would finish together at the
    /// rates measured, the slow one's end moves in, and the idle one takes the second part. A connection left with
    /// nothing stops. Every byte is written by the range's owner only, after <see cref="Allow"/> reserved it, so a
    /// split never gives away a byte being written. No I/O: time comes from the injected clock.
    /// </summary>
    internal sealed class RangeSharing
    {
        private readonly object _gate = new object();
        private readonly RangeLedger _ledger;
        private readonly IClock _clock;
        private readonly ResplitRules _rules;
        private readonly List<Slot> _slots = new List<Slot>();
        private readonly Dictionary<int, double> _rates = new Dictionary<int, double>();
        private TaskCompletionSource<bool> _changed = NewSignal();

        public RangeSharing(RangeLedger ledger, IClock clock, ResplitRules rules)
        {
            _ledger = ledger;
            _clock = clock;
            _rules = rules;
            for (var i = 0; i < ledger.Count; i++) _slots.Add(new Slot(ledger[i].Done));
        }

        /// <summary>Incomplete ranges no connection holds and none gave up on.</summary>
        public int Unclaimed
        {
            get
            {
                lock (_gate)
                {
                    var count = 0;
                    for (var i = 0; i < _slots.Count; i++) if (IsFree(i)) count++;
                    return count;
                }
            }
        }

        /// <summary>True while some connection holds an incomplete range.</summary>
        public bool AnyInProgress
        {
            get
            {
                lock (_gate)
                {
                    for (var i = 0; i < _slots.Count; i++) if (_slots[i].Owner != 0 && !_ledger[i].Complete) return true;
                    return false;
                }
            }
        }

        /// <summary>Completes at the next end of a range's fetch or handover; idle connections wait on it.</summary>
        public Task Changed
        {
            get
            {
                lock (_gate) return _changed.Task;
            }
        }

        /// <summary>Takes the free range that starts furthest into the file, so that a stream from the start can run longest.</summary>
        public bool TryClaimFree(int connection, out int index)
        {
            lock (_gate)
            {
                index = -1;
                for (var i = 0; i < _slots.Count; i++)
                {
                    if (IsFree(i) && (index < 0 || _ledger[i].Start > _ledger[index].Start)) index = i;
                }
                if (index < 0) return false;
                Take(index, connection);
                return true;
            }
        }

        /// <summary>Takes the free range whose next byte to write is <paramref name="position"/> (a stream going on past its range).</summary>
        public bool TryClaimAt(int connection, long position, out int index)
        {
            lock (_gate)
            {
                for (index = 0; index < _slots.Count; index++)
                {
                    var range = _ledger[index];
                    if (IsFree(index) && range.Start + range.Done == position)
                    {
                        Take(index, connection);
                        return true;
                    }
                }
                index = -1;
                return false;
            }
        }

        /// <summary>
        /// How many of <paramref name="count"/> bytes just read for range <paramref name="index"/> the connection may write
        /// (they are reserved for it): fewer when the range was cut meanwhile, none when it is no longer the owner.
        /// </summary>
        public long Allow(int connection, int index, long count)
        {
            lock (_gate)
            {
                var slot = _slots[index];
                if (slot.Owner != connection) return 0;
                var allowed = Math.Min(count, _ledger[index].Length - slot.Taken);
                slot.Taken += allowed;
                slot.Received += allowed;
                return allowed;
            }
        }

        /// <summary>
        /// The connection no longer works on range <paramref name="index"/>. When the range is complete the rate it got
        /// is kept for later handovers; otherwise it failed, and nobody takes it again in this attempt (the retry
        /// after the attempt resumes it).
        /// </summary>
        public void Release(int connection, int index)
        {
            lock (_gate)
            {
                var slot = _slots[index];
                if (slot.Owner != connection) return;
                slot.Owner = 0;
                if (_ledger[index].Complete)
                {
                    var seconds = Math.Max((_clock.Elapsed - slot.ClaimedAt).TotalSeconds, 0.001);
                    _rates[connection] = slot.Received / seconds;
                }
                else
                {
                    slot.GaveUp = true;
                    _rates.Remove(connection);
                }
                Signal();
            }
        }

        /// <summary>The connection ends (stopped, failed or done): it takes nothing over any more.</summary>
        public void Leave(int connection)
        {
            lock (_gate)
            {
                _rates.Remove(connection);
                Signal();
            }
        }

        /// <summary>
        /// For a connection with nothing left to do: the part of a slow range it should take over, or null when no range
        /// in progress is worth it. The connection must have finished a range (its rate is known).
        /// </summary>
        public Handover? TryTakeOver(int connection)
        {
            lock (_gate)
            {
                if (!_rates.TryGetValue(connection, out var idleRate) || idleRate <= 0) return null;
                var now = _clock.Elapsed;
                var best = -1;
                double bestTime = 0;
                long bestKeep = 0;
                for (var i = 0; i < _slots.Count; i++)
                {
                    var slot = _slots[i];
                    if (slot.Owner == 0 || slot.Owner == connection) continue;
                    var running = now - slot.ClaimedAt;
                    if (running < _rules.RateWindow) continue; // not measured long enough to call it slow
                    var left = _ledger[i].Length - slot.Taken;
                    if (left <= 0) continue;
                    var rate = slot.Received / running.TotalSeconds;
                    var timeLeft = rate > 0 ? left / rate : double.PositiveInfinity;
                    if (timeLeft <= _rules.WorthSplitting.TotalSeconds) continue;
                    // Where both would finish together: the slow one keeps its share of the rest at the rates measured.
                    var keep = (long)(left * (rate / (rate + idleRate)));
                    if (left - keep < _rules.MinimumPiece && keep > 0) continue; // a piece too small for another request
                    if (best < 0 || timeLeft > bestTime || (timeLeft == bestTime && left > _ledger[best].Length - _slots[best].Taken))
                    {
                        best = i;
                        bestTime = timeLeft;
                        bestKeep = keep;
                    }
                }
                if (best < 0) return null;

                var victim = _slots[best];
                var range = _ledger[best];
                var at = range.Start + victim.Taken + bestKeep;
                var victimConnection = victim.Owner;
                int index;
                if (at == range.Start)
                {
                    // Nothing of it arrived: the whole range changes hands.
                    index = best;
                    victim.Owner = 0;
                }
                else
                {
                    index = _ledger.Split(best, at);
                    if (index < 0) return null; // the side file holds no more ranges
                    _slots.Add(new Slot(0));
                }
                Take(index, connection);
                Signal();
                return new Handover(index, best, victimConnection, bestKeep == 0, at, range.Start + range.Length, bestTime);
            }
        }

        private bool IsFree(int index) => _slots[index].Owner == 0 && !_slots[index].GaveUp && !_ledger[index].Complete;

        private void Take(int index, int connection)
        {
            var slot = _slots[index];
            slot.Owner = connection;
            slot.ClaimedAt = _clock.Elapsed;
            slot.Received = 0;
            slot.Taken = _ledger[index].Done;
        }

        private void Signal()
        {
            var changed = _changed;
            _changed = NewSignal();
            changed.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private sealed class Slot
        {
            public Slot(long taken)
            {
                Taken = taken;
            }

            /// <summary>The connection that writes it; 0 for none.</summary>
            public int Owner;

            /// <summary>Bytes from the range's start written or reserved for writing.</summary>
            public long Taken;

            /// <summary>Bytes its owner got since it took it, and when: its rate.</summary>
            public long Received;

            public TimeSpan ClaimedAt;

            /// <summary>Its fetch failed: not handed out again in this attempt.</summary>
            public bool GaveUp;
        }
    }

    /// <summary>The part of a slow range an idle connection takes over.</summary>
    internal sealed class Handover
    {
        public Handover(int index, int from, int victim, bool victimStops, long start, long end, double victimSecondsLeft)
        {
            Index = index;
            From = from;
            Victim = victim;
            VictimStops = victimStops;
            Start = start;
            End = end;
            VictimSecondsLeft = victimSecondsLeft;
        }

        /// <summary>The range the idle connection now holds: a new one split off, or the whole one taken over.</summary>
        public int Index { get; }

        /// <summary>The range it came from.</summary>
        public int From { get; }

        /// <summary>The connection that held those bytes.</summary>
        public int Victim { get; }

        /// <summary>The slow connection has nothing left to write and should stop reading at once.</summary>
        public bool VictimStops { get; }

        /// <summary>First byte taken over.</summary>
        public long Start { get; }

        /// <summary>Byte after the last one taken over.</summary>
        public long End { get; }

        /// <summary>What the rest would have taken at the slow connection's rate (infinite when it got nothing).</summary>
        public double VictimSecondsLeft { get; }
    }

    /// <summary>When a range in progress is slow enough to be taken over.</summary>
    internal sealed class ResplitRules
    {
        public ResplitRules(TimeSpan rateWindow, TimeSpan worthSplitting, long minimumPiece)
        {
            RateWindow = rateWindow;
            WorthSplitting = worthSplitting;
            MinimumPiece = minimumPiece;
        }

        /// <summary>A connection's rate is judged only after it has held its range this long.</summary>
        public TimeSpan RateWindow { get; }

        /// <summary>Only a range whose rest would take longer than this at its rate is taken over.</summary>
        public TimeSpan WorthSplitting { get; }

        /// <summary>No piece smaller than this is split off (a connection with nothing at all to show gives up the whole rest).</summary>
        public long MinimumPiece { get; }
    }
}
