using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Pipeline
{
    /// <summary>
    /// Calls that overlap but whose results are written in the order the input came: at most a throttle
    /// limit run at once, each failure becomes one non-terminating error with its input as the target, and
    /// every write happens on the cmdlet's thread.
    /// </summary>
    internal sealed class InOrderResults<T>
    {
        private readonly ZAiCmdlet _cmdlet;
        private readonly int _throttleLimit;
        private readonly Action<T> _write;
        private readonly Queue<KeyValuePair<object?, Task<T>>> _inFlight = new Queue<KeyValuePair<object?, Task<T>>>();

        /// <param name="write">Writes one successful result (called on the cmdlet's thread).</param>
        public InOrderResults(ZAiCmdlet cmdlet, int throttleLimit, Action<T> write)
        {
            _cmdlet = cmdlet;
            _throttleLimit = throttleLimit;
            _write = write;
        }

        /// <summary>Starts a call off the pipeline thread, first writing the oldest results while the limit is reached.</summary>
        /// <param name="target">The input the call is for: the target object of its error.</param>
        public void Start(object? target, Func<Task<T>> call)
        {
            while (_inFlight.Count >= _throttleLimit) WriteOldest();
            _inFlight.Enqueue(new KeyValuePair<object?, Task<T>>(target, Task.Run(call)));
        }

        /// <summary>Writes the results that are ready without breaking input order, and any queued messages.</summary>
        public void WriteFinished()
        {
            while (_inFlight.Count > 0 && _inFlight.Peek().Value.IsCompleted) WriteOldest();
            _cmdlet.Queue.RunPending();
        }

        /// <summary>Waits for every call and writes its result.</summary>
        public void WriteAll()
        {
            while (_inFlight.Count > 0) WriteOldest();
        }

        private void WriteOldest()
        {
            var entry = _inFlight.Dequeue();
            var call = entry.Value;
            _cmdlet.RunUntil(call);
            if (call.IsCanceled) throw new PipelineStoppedException();
            if (call.IsFaulted)
            {
                _cmdlet.WriteError(ErrorRecords.FromException(call.Exception!.GetBaseException(), entry.Key));
                return;
            }
            _write(call.Result);
        }
    }
}
