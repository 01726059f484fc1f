using System;
using System.Collections.Generic;
using System.IO;

namespace ZAi.PowerShell.Journal
{
    /// <summary>Where a request of a journal stands.</summary>
    internal enum LedgerState
    {
        /// <summary>Its intent is written; no answer with a task id was recorded.</summary>
        Recorded,

        /// <summary>The API accepted it: a task id is recorded.</summary>
        Submitted,

        /// <summary>A wait saw its task end with SUCCESS.</summary>
        Succeeded,

        /// <summary>A wait saw its task end with FAIL.</summary>
        Failed,

        /// <summary>Save-ZAiMedia wrote at least one of its files.</summary>
        Saved,

        /// <summary>The API holds the request (it answered 1231) but its task id never arrived.</summary>
        Unknown,

        /// <summary>The task succeeded, but its links expired before all of its files were saved.</summary>
        Expired,

        /// <summary>Never sent: the budget (-MaximumCost) refused it. Nothing is billed.</summary>
        Refused,
    }

    /// <summary>One request of a journal and everything recorded about it since: its task, its end, its files.</summary>
    internal sealed class LedgerEntry
    {
        // A new array per saved line, exactly as long as the files: a journal has many entries of few files each, and
        // a reader (another thread's Save) holds a snapshot that no later line changes.
        private SavedFileRecord[] _files = Array.Empty<SavedFileRecord>();

        public LedgerEntry(JournalRecord first)
        {
            Key = first.Key;
            Occurrence = first.Occurrence;
            Line = first.Line;
            Apply(first);
        }

        public string Key { get; }

        public int Occurrence { get; }

        private RequestIdValue _requestId;

        /// <summary>The request id of the current attempt; empty when none was recorded. Made anew on each call: compare with <see cref="HasRequestId"/>.</summary>
        public string RequestId => _requestId.ToString();

        /// <summary>Whether the current attempt was recorded under <paramref name="requestId"/>.</summary>
        public bool HasRequestId(string? requestId) => _requestId.Is(requestId);

        public string? Prompt { get; private set; }

        public string? Model { get; private set; }

        public string? Endpoint { get; private set; }

        /// <summary>The line that first recorded the request.</summary>
        public int Line { get; }

        /// <summary>How many request ids the request was sent under: 1 once sent, more after -RetryFailed; 0 while only refused.</summary>
        public int Attempts { get; private set; }

        /// <summary>The task the API created, or null when its answer never reached the journal.</summary>
        public string? TaskId { get; private set; }

        // Held without the flag of a DateTime? (16 bytes where 8 do): no recorded expiry is DateTime.MinValue.
        private DateTime _expiresUtc;

        /// <summary>When the task's links expire, as the wait that saw it succeed recorded it; null when unknown.</summary>
        public DateTime? ExpiresUtc
        {
            get => _expiresUtc == default ? null : _expiresUtc;
            private set => _expiresUtc = value ?? default;
        }

        /// <summary>How many files the task's result holds, as the wait that saw it finish counted them; 0 when unknown.</summary>
        public int ExpectedFiles { get; private set; }

        public LedgerState State { get; private set; }

        /// <summary>Why the task failed, or why its id is unknown.</summary>
        public string? Reason { get; private set; }

        /// <summary>The saved lines of the current task, one per file, newest last.</summary>
        public IReadOnlyList<SavedFileRecord> Files => _files;

        /// <summary>Applies a request record (submit, accepted, unknown) of this key and occurrence.</summary>
        public void Apply(JournalRecord record)
        {
            switch (record.Type)
            {
                case JournalRecord.SubmitType:
                    if (Attempts == 0 || !_requestId.Is(record.RequestId))
                    {
                        // A new attempt under another request id (-RetryFailed): what the old task did no longer counts.
                        Attempts++;
                        _requestId = RequestIdValue.From(record.RequestId);
                        TaskId = null;
                        ExpiresUtc = null;
                        ExpectedFiles = 0;
                        Reason = null;
                        _files = Array.Empty<SavedFileRecord>();
                        State = LedgerState.Recorded;
                    }
                    Prompt = record.Prompt;
                    Model = record.Model;
                    Endpoint = record.Endpoint;
                    break;
                case JournalRecord.RefusedType:
                    // A refusal after a send (a later run's budget) changes nothing: the request is on its way already.
                    if (Attempts > 0) return;
                    _requestId = RequestIdValue.From(record.RequestId);
                    Prompt = record.Prompt;
                    Model = record.Model;
                    Endpoint = record.Endpoint;
                    State = LedgerState.Refused;
                    Reason = record.Reason;
                    break;
                case JournalRecord.AcceptedType:
                    if (_requestId.IsEmpty) _requestId = RequestIdValue.From(record.RequestId);
                    if (!_requestId.Is(record.RequestId)) return;
                    if (Attempts == 0) Attempts = 1;   // a version 1 journal, or a refusal before: the answer says it was sent
                    TaskId = record.TaskId;
                    Prompt ??= record.Prompt;
                    Model ??= record.Model;
                    State = LedgerState.Submitted;
                    Reason = null;
                    break;
                case JournalRecord.UnknownType:
                    if (_requestId.IsEmpty) _requestId = RequestIdValue.From(record.RequestId);
                    if (!_requestId.Is(record.RequestId) || TaskId != null) return;
                    if (Attempts == 0) Attempts = 1;
                    State = LedgerState.Unknown;
                    Reason = record.Reason;
                    break;
            }
        }

        /// <summary>
        /// Whether the request may have been billed: it was sent (or its intent written, answer unknown) at least once.
        /// Each attempt counts: every -RetryFailed send is a task of its own.
        /// </summary>
        public bool MayBeBilled => Attempts > 0;

        /// <summary>What the request may have been billed by <paramref name="priceOf"/>, each send counted; null when never sent or the model has no price.</summary>
        public decimal? EstimatedSpend(Func<string?, decimal?> priceOf) => MayBeBilled ? priceOf(Model) * Attempts : null;

        /// <summary>The request ended in a state no further waiting changes: failed, expired, unknown or refused.</summary>
        public bool EndedUnsaved => State == LedgerState.Failed || State == LedgerState.Expired || State == LedgerState.Unknown || State == LedgerState.Refused;

        /// <summary>Applies a task record (finished, saved) of this entry's current task.</summary>
        public void ApplyTask(JournalRecord record)
        {
            if (record.TaskId != TaskId) return;
            if (record.Type == JournalRecord.FinishedType)
            {
                ExpiresUtc = record.ExpiresUtc ?? ExpiresUtc;
                if (record.Status == "FAIL")
                {
                    State = LedgerState.Failed;
                    Reason = record.Reason;
                }
                else
                {
                    if (record.MediaFiles > 0) ExpectedFiles = record.MediaFiles;
                    if (State != LedgerState.Saved) State = LedgerState.Succeeded;
                }
            }
            else if (record.Type == JournalRecord.ExpiredType)
            {
                if (FilesIntact()) return;
                State = LedgerState.Expired;
                Reason = record.Reason;
            }
            else if (record.Type == JournalRecord.SavedType)
            {
                // The line is this entry's current task's (checked above): its file may be named by the entry's task id.
                _files = WithFile(_files, SavedFileRecord.From(record, TaskId), record.FilePath);
                State = LedgerState.Saved;
            }
        }

        /// <summary>The files with <paramref name="file"/> (recorded at <paramref name="path"/>) last, in place of an older line of the same path.</summary>
        private static SavedFileRecord[] WithFile(SavedFileRecord[] files, SavedFileRecord file, string? path)
        {
            var kept = 0;
            foreach (var old in files)
            {
                if (!old.IsAt(path)) kept++;
            }
            var next = new SavedFileRecord[kept + 1];
            var at = 0;
            foreach (var old in files)
            {
                if (!old.IsAt(path)) next[at++] = old;
            }
            next[at] = file;
            return next;
        }

        /// <summary>
        /// Saved, every file of the task saved (as many as its result holds, when the journal knows that), and each
        /// still on disk with the length it was saved with. A run stopped between a video and its cover is not done.
        /// </summary>
        public bool FilesIntact()
        {
            var files = _files;
            if (State != LedgerState.Saved || files.Length == 0 || files.Length < ExpectedFiles) return false;
            foreach (var file in files)
            {
                try
                {
                    var info = new FileInfo(file.FilePath!);
                    if (!info.Exists || info.Length != file.FileLength) return false;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
                {
                    return false;
                }
            }
            return true;
        }
    }
}
