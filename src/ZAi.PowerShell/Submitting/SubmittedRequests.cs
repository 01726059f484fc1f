using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// The submissions one account of a connection made with a request id the user chose (held by its
    /// <see cref="AccountState"/>), so that the same request id never creates two tasks from here: the same request
    /// again gets the task already created (or being created), and a different request with that id is refused
    /// before anything is sent. Failed submissions are forgotten, so a corrected re-run can use the id. Bounded
    /// (the oldest is dropped first). Another account, or the same key on another base URI, has its own: a
    /// request id names a task of one account only.
    /// </summary>
    internal sealed class SubmittedRequests
    {
        public const int DefaultCapacity = 1000;
        private readonly object Lock = new object();
        private readonly Dictionary<string, LinkedListNode<Entry>> ById = new Dictionary<string, LinkedListNode<Entry>>(StringComparer.Ordinal);
        private readonly LinkedList<Entry> Newest = new LinkedList<Entry>();

        public SubmittedRequests(int capacity = DefaultCapacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
        }

        public int Capacity { get; }

        /// <summary>Request ids remembered now.</summary>
        internal int Count
        {
            get { lock (Lock) return ById.Count; }
        }

        /// <summary>
        /// The task of an earlier submission of the same request, or <paramref name="submit"/>'s, started now and
        /// remembered until it fails.
        /// </summary>
        /// <exception cref="ZAiApiException">The request id was used for a different request in this process.</exception>
        public Task<AsyncResult> GetOrSubmit(GenerationRequest request, Func<Task<AsyncResult>> submit, out bool reused)
        {
            var fingerprint = request.Fingerprint();
            var submission = new TaskCompletionSource<AsyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Entry entry;
            lock (Lock)
            {
                if (ById.TryGetValue(request.RequestId, out var node))
                {
                    if (node.Value.Fingerprint != fingerprint)
                    {
                        var known = node.Value.Submission.Status == TaskStatus.RanToCompletion ? $" (task '{node.Value.Submission.Result.Id}')" : string.Empty;
                        throw new ZAiApiException(
                            ZAiErrorReason.DuplicateRequest,
                            $"{request.Subject}: this request id was already used in this session on this account for a different request{known}; "
                            + "a request id names one task. Omit -RequestId to have one generated, or choose another.");
                    }
                    Newest.Remove(node);
                    Newest.AddFirst(node);
                    reused = true;
                    return node.Value.Submission;
                }

                // Only the placeholder is registered under the lock: the send starts after it is released.
                entry = new Entry(request.RequestId, fingerprint, submission.Task);
                ById[request.RequestId] = Newest.AddFirst(entry);
                if (Newest.Count > Capacity)
                {
                    ById.Remove(Newest.Last!.Value.RequestId);
                    Newest.RemoveLast();
                }
            }
            Task<AsyncResult> sent;
            try
            {
                sent = submit();
            }
            catch (Exception error)
            {
                sent = Task.FromException<AsyncResult>(error);
            }
            sent.ContinueWith(done =>
            {
                // A failed submission is forgotten before anyone sees it fail, so a corrected re-run can use the id.
                if (!done.IsCompleted || done.Status != TaskStatus.RanToCompletion) Forget(entry);
                if (done.IsCanceled) submission.TrySetCanceled();
                else if (done.IsFaulted) submission.TrySetException(done.Exception!.InnerExceptions);
                else submission.TrySetResult(done.Result);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            reused = false;
            return entry.Submission;
        }

        internal void Clear()
        {
            lock (Lock)
            {
                ById.Clear();
                Newest.Clear();
            }
        }

        private void Forget(Entry entry)
        {
            lock (Lock)
            {
                if (ById.TryGetValue(entry.RequestId, out var node) && ReferenceEquals(node.Value, entry))
                {
                    ById.Remove(entry.RequestId);
                    Newest.Remove(node);
                }
            }
        }

        private sealed class Entry
        {
            public Entry(string requestId, string fingerprint, Task<AsyncResult> submission)
            {
                RequestId = requestId;
                Fingerprint = fingerprint;
                Submission = submission;
            }

            public string RequestId { get; }

            public string Fingerprint { get; }

            public Task<AsyncResult> Submission { get; }
        }
    }
}
