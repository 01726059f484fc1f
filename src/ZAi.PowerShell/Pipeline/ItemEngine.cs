using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// The one engine behind every async cmdlet. Each input item runs one async function off the pipeline
    /// thread, at most a throttle limit at once, starting the moment the item arrives (ProcessRecord), not
    /// when the input ends. Results and errors are written on the cmdlet's thread only, in input or completion
    /// order; an exception in one item is that item's error and the others go on; a stop cancels every item
    /// and no item function starts after it. Items take free slots in the order they were added, decided on the
    /// adding thread, whatever order the thread pool then runs their work in: with output in input order, an
    /// early item that lost a race for a slot held back every later result (seen in CI: a first prompt sent last
    /// kept a whole batch from the commands downstream). A throttled engine holds at most
    /// <see cref="MaxOutstanding"/> items: past that, adding one writes results until one is written, so a long
    /// input is read as the work goes rather than held whole (a 5,000-prompt Start had held every prompt's
    /// request waiting for a slot).
    /// </summary>
    internal sealed class ItemEngine<TItem, TResult>
    {
        private readonly IPipelineSink _sink;
        private readonly WriteQueue _queue;
        private readonly CancellationToken _stop;
        private readonly Func<TItem, CancellationToken, Task<TResult>> _run;
        private readonly Action<TItem, TResult> _write;
        private readonly Func<TItem, object?> _target;
        private readonly Func<TItem, string>? _label;
        private readonly OutputOrder _order;
        private readonly Action<Func<Task>> _start;
        // Free slots, and the items waiting for one in the order added (both under _slotsGate).
        private readonly object _slotsGate = new object();
        private readonly Queue<Entry> _waiting = new Queue<Entry>();
        private int _freeSlots;
        private readonly Queue<Entry> _inInputOrder = new Queue<Entry>();
        // Counts item functions that have not returned, rather than keeping every item's task: a long run's
        // items (and their results) are let go once written.
        private readonly object _functionsGate = new object();
        private int _functions;
        private TaskCompletionSource<bool>? _drained;
        private int _outstanding;
        private int _running;
        private int _waitingForSlot;

        /// <param name="run">The item's work, off the pipeline thread; cancelled by a stop.</param>
        /// <param name="write">Writes one item's result, on the cmdlet's thread.</param>
        /// <param name="target">The target object of an item's error; the item itself when omitted.</param>
        /// <param name="label">What starts an item's error message (which input record it is about).</param>
        /// <param name="start">Runs an admitted item's work off this thread (Task.Run; tests run it in an order of their own).</param>
        public ItemEngine(
            IPipelineSink sink,
            WriteQueue queue,
            CancellationToken stop,
            Func<TItem, CancellationToken, Task<TResult>> run,
            Action<TItem, TResult> write,
            OutputOrder order,
            int throttleLimit = int.MaxValue,
            Func<TItem, object?>? target = null,
            Func<TItem, string>? label = null,
            Action<Func<Task>>? start = null)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be 1 or more.");
            _sink = sink;
            _queue = queue;
            _stop = stop;
            _run = run;
            _write = write;
            _order = order;
            _target = target ?? (item => item);
            _label = label;
            _freeSlots = throttleLimit;
            _start = start ?? (work => Task.Run(work));
            // A stop ends the items still waiting for a slot at once: none of them starts.
            stop.Register(EndWaiting);
            // Enough waiting that a freed slot is taken at once; few enough that a long input costs little.
            MaxOutstanding = throttleLimit == int.MaxValue ? int.MaxValue : (int)Math.Min(int.MaxValue, Math.Max(ReadAhead, 4L * throttleLimit));
        }

        /// <summary>How many items a throttled engine holds, beyond its slots' own multiple, before Add waits.</summary>
        public const int ReadAhead = 256;

        /// <summary>The most items added and not yet written before <see cref="Add"/> waits for one to be written (no bound when unthrottled).</summary>
        public int MaxOutstanding { get; set; }

        /// <summary>Called on the cmdlet's thread after each queued action, and at least every <see cref="TickEvery"/>: progress goes here.</summary>
        public Action? Tick { get; set; }

        public TimeSpan TickEvery { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>Items whose function is running now.</summary>
        public int Running => Volatile.Read(ref _running);

        /// <summary>Items waiting for a throttle slot.</summary>
        public int Queued => Volatile.Read(ref _waitingForSlot);

        /// <summary>Items added whose result or error has not been written yet.</summary>
        public int Outstanding => _outstanding;

        /// <summary>
        /// Starts the item's work at once (or as soon as a slot frees); call <see cref="Pump"/> after a record's items.
        /// With <see cref="MaxOutstanding"/> items held, it first writes results (and runs queued messages) until one
        /// is written; a stop ends that wait at once with PipelineStoppedException.
        /// </summary>
        public void Add(TItem item)
        {
            if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
            if (_outstanding >= MaxOutstanding) WriteUntil(() => _outstanding < MaxOutstanding);
            var entry = new Entry(item);
            _outstanding++;
            Interlocked.Increment(ref _waitingForSlot);
            lock (_functionsGate) _functions++;
            if (_order == OutputOrder.Input) _inInputOrder.Enqueue(entry);
            bool admitted;
            lock (_slotsGate)
            {
                admitted = _freeSlots > 0;
                if (admitted) _freeSlots--;
                else _waiting.Enqueue(entry);
            }
            if (admitted) _start(() => RunAsync(entry));
            else if (_stop.IsCancellationRequested) EndWaiting();   // a stop that came after the check above
        }

        /// <summary>Writes what is ready now (queued messages, finished results) without waiting.</summary>
        public void Pump()
        {
            _queue.RunPending();
            WriteReadyInInputOrder();
            Tick?.Invoke();
        }

        /// <summary>Runs the write loop until every item is written; a stop ends it at once with PipelineStoppedException.</summary>
        public void Complete() => WriteUntil(() => _outstanding == 0);

        /// <summary>Runs the write loop until <paramref name="done"/> holds (results are written on this thread, which is what changes it).</summary>
        private void WriteUntil(Func<bool> done)
        {
            try
            {
                _queue.RunUntil(done, TickEvery, () =>
                {
                    WriteReadyInInputOrder();
                    Tick?.Invoke();
                }, _stop);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
        }

        /// <summary>Completes when every item's function has returned (for tests and orderly shutdown).</summary>
        public Task Drained()
        {
            lock (_functionsGate)
            {
                if (_functions == 0) return Task.CompletedTask;
                _drained ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _drained.Task;
            }
        }

        private void FunctionReturned()
        {
            TaskCompletionSource<bool>? drained = null;
            lock (_functionsGate)
            {
                if (--_functions == 0)
                {
                    drained = _drained;
                    _drained = null;
                }
            }
            drained?.SetResult(true);
        }

        /// <summary>An admitted item's work: it holds its slot until its function returns, then hands the slot on.</summary>
        private async Task RunAsync(Entry entry)
        {
            try
            {
                Interlocked.Decrement(ref _waitingForSlot);
                _stop.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _running);
                try
                {
                    entry.Result = await _run(entry.Item, _stop).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _running);
                }
            }
            catch (Exception error)
            {
                entry.Error = error;
            }
            finally
            {
                HandOnSlot();
                Finish(entry);
            }
        }

        /// <summary>A freed slot goes to the item that has waited longest, or back to the free ones.</summary>
        private void HandOnSlot()
        {
            Entry? next = null;
            lock (_slotsGate)
            {
                if (_waiting.Count > 0) next = _waiting.Dequeue();
                else _freeSlots++;
            }
            if (next != null) _start(() => RunAsync(next));
        }

        /// <summary>On a stop: the items still waiting for a slot end cancelled, without starting.</summary>
        private void EndWaiting()
        {
            Entry[] ended;
            lock (_slotsGate)
            {
                ended = _waiting.ToArray();
                _waiting.Clear();
            }
            foreach (var entry in ended)
            {
                Interlocked.Decrement(ref _waitingForSlot);
                entry.Error = new OperationCanceledException(_stop);
                Finish(entry);
            }
        }

        private void Finish(Entry entry)
        {
            entry.Done = true;
            if (_order == OutputOrder.Completion) _queue.Post(() => Deliver(entry));
            else _queue.Wake();
            FunctionReturned();
        }

        private void WriteReadyInInputOrder()
        {
            while (_inInputOrder.Count > 0 && _inInputOrder.Peek().Done)
            {
                Deliver(_inInputOrder.Dequeue());
            }
        }

        private void Deliver(Entry entry)
        {
            _outstanding--;
            if (entry.Error is null)
            {
                _write(entry.Item, entry.Result!);
                return;
            }
            // A cancelled item (Ctrl+C, or abandoned by its own work) has nothing to report.
            if (entry.Error is OperationCanceledException) return;
            var record = ErrorRecords.FromException(entry.Error, _target(entry.Item));
            _sink.WriteError(_label is null ? record : ErrorRecords.Labelled(record, _label(entry.Item)));
        }

        private sealed class Entry
        {
            private int _done;

            public Entry(TItem item)
            {
                Item = item;
            }

            public TItem Item { get; }

            public TResult? Result { get; set; }

            public Exception? Error { get; set; }

            public bool Done
            {
                get => Volatile.Read(ref _done) == 1;
                set => Volatile.Write(ref _done, value ? 1 : 0);
            }
        }
    }
}
