using System;
using System.Collections.Generic;
using System.IO;

namespace ZAi.PowerShell.Journal
{
    /// <summary>
    /// The journals one command (a Wait, a Save) writes to, opened through <see cref="SharedJournals"/> the first
    /// time an input names each, and let go together. A journal that cannot be opened is said once (through
    /// <c>cannotOpen</c>) and then left alone: the command goes on without it.
    /// </summary>
    internal sealed class JournalHandles : IDisposable
    {
        private readonly object _lock = new object();
        private readonly Dictionary<string, JournalHandle?> _byPath = new Dictionary<string, JournalHandle?>(StringComparer.Ordinal);
        private readonly Action<string, Exception> _cannotOpen;
        private bool _disposed;

        /// <param name="cannotOpen">Told the path and the failure when a journal cannot be opened (from any thread).</param>
        public JournalHandles(Action<string, Exception> cannotOpen)
        {
            _cannotOpen = cannotOpen;
        }

        /// <summary>The journal at <paramref name="path"/>, opened on first use; null when it cannot be, or after Dispose.</summary>
        /// <exception cref="JournalBusyException">Another process writes the journal: the command must stop, as Start does, rather than race it.</exception>
        public JournalFile? Get(string path)
        {
            lock (_lock)
            {
                if (_disposed) return null;
                if (_byPath.TryGetValue(path, out var known)) return known?.Journal;
                JournalHandle? handle = null;
                try
                {
                    handle = SharedJournals.Open(path);
                }
                catch (JournalBusyException)
                {
                    // Another process writes it: not a journal to go on without (see Get's exception).
                    throw;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
                {
                    _cannotOpen(path, ex);
                }
                _byPath[path] = handle;
                return handle?.Journal;
            }
        }

        /// <summary>Lets go of every journal; returns those this command was the last in the process to use (their batch's end is its to report).</summary>
        public IReadOnlyList<JournalFile> Close()
        {
            var closedLast = new List<JournalFile>();
            lock (_lock)
            {
                if (_disposed) return closedLast;
                _disposed = true;
                foreach (var handle in _byPath.Values)
                {
                    if (handle != null && handle.Release()) closedLast.Add(handle.Journal);
                }
                _byPath.Clear();
            }
            return closedLast;
        }

        public void Dispose() => Close();
    }
}
