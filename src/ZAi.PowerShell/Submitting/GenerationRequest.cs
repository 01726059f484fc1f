using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Journal;

namespace ZAi.PowerShell.Submitting
{
    /// <summary>
    /// One validated submission: the endpoint and the body fields in the order they are sent. The request id is
    /// fixed when the request is built, so every retry of it carries the same one.
    /// </summary>
    internal sealed class GenerationRequest : IJournaledRequest
    {
        public const string RequestIdField = GenerationEndpoint.RequestIdField;
        private const int ShownImageCharacters = 48;
        private readonly IReadOnlyList<KeyValuePair<string, object?>> _fields;
        private byte[]? _json;
        private string? _fingerprint;

        public GenerationRequest(
            GenerationEndpoint endpoint,
            string model,
            string? prompt,
            string requestId,
            bool requestIdGiven,
            IReadOnlyList<KeyValuePair<string, object?>> fields)
        {
            Endpoint = endpoint;
            Model = model;
            Prompt = prompt;
            RequestId = requestId;
            RequestIdGiven = requestIdGiven;
            _fields = fields;
        }

        public GenerationEndpoint Endpoint { get; }

        public string Model { get; }

        public string? Prompt { get; }

        public string RequestId { get; }

        /// <summary>True when the user chose the request id; false when the module generated it.</summary>
        public bool RequestIdGiven { get; }

        public IReadOnlyList<KeyValuePair<string, object?>> Fields => _fields;

        /// <summary>True when this request id was already submitted in this session and its earlier task is returned instead of a new one.</summary>
        public bool ReusedEarlierSubmission { get; internal set; }

        /// <summary>
        /// The verbose line after submitting, naming the prompt so a scheduler's log says which prompt got which task:
        /// "Video request 'r' for 'a fox...': task 'x' created", or, for a repeated -RequestId, that no task was created.
        /// </summary>
        public string Outcome(AsyncResult result) => ReusedEarlierSubmission
            ? $"{Subject} {PromptPhrase}: no new task; the task '{Client.TaskIdPath.Shown(result.Id)}' of the earlier submission is returned ({result.TaskStatus ?? "no task_status"})."
            : $"{Subject} {PromptPhrase}: task '{Client.TaskIdPath.Shown(result.Id)}' created ({result.TaskStatus ?? "no task_status"}).";

        /// <summary>"for 'a fox in snow'" (shortened), or "(no prompt)".</summary>
        private string PromptPhrase => string.IsNullOrEmpty(Prompt) ? "(no prompt)" : $"for '{ShortPrompt()}'";

        /// <summary>"Video request 'id'": what messages about this request start with.</summary>
        public string Subject => char.ToUpperInvariant(Endpoint.Noun[0]) + Endpoint.Noun.Substring(1) + " request '" + RequestId + "'";

        /// <summary>The body as sent.</summary>
        public byte[] ToJson() => _json ??= JsonBodyWriter.Write(_fields);

        /// <summary>The body for people to read (-WhatIf, -Verbose): inline images shortened to their first characters and length.</summary>
        public string Describe() => Encoding.UTF8.GetString(JsonBodyWriter.Write(_fields, ShortenImage));

        /// <summary>A hash of everything but the request id: two requests with the same fingerprint ask for the same task.</summary>
        /// <remarks>Computed once: planning, matching the journal again before a send, and the journal's line all ask for it.</remarks>
        public string Fingerprint()
        {
            if (_fingerprint != null) return _fingerprint;
            using var sha = SHA256.Create();
            return _fingerprint = Convert.ToBase64String(sha.ComputeHash(JsonBodyWriter.Write(_fields, skipField: RequestIdField)));
        }

        /// <summary>The same request under another request id (a journal's re-run sends a recorded request with its recorded id).</summary>
        public GenerationRequest WithRequestId(string requestId)
        {
            var fields = new List<KeyValuePair<string, object?>>(_fields.Count);
            foreach (var field in _fields)
            {
                fields.Add(field.Key == RequestIdField ? new KeyValuePair<string, object?>(RequestIdField, requestId) : field);
            }
            // The request id is not part of the fingerprint: the copy has the same one.
            return new GenerationRequest(Endpoint, Model, Prompt, requestId, requestIdGiven: true, fields) { _fingerprint = _fingerprint };
        }

        /// <summary>The prompt cut to <paramref name="length"/> characters for one-line messages.</summary>
        public string ShortPrompt(int length = 60)
        {
            if (string.IsNullOrEmpty(Prompt)) return "(no prompt)";
            var line = Prompt!.Replace('\r', ' ').Replace('\n', ' ');
            return line.Length <= length ? line : line.Substring(0, length - 3) + "...";
        }

        private static string ShortenImage(string field, string text)
        {
            if ((field != "image_url" && !field.EndsWith(".image_url", StringComparison.Ordinal)) || text.Length <= ShownImageCharacters * 2) return text;
            return text.Substring(0, ShownImageCharacters) + $"... ({text.Length} characters)";
        }
    }
}
