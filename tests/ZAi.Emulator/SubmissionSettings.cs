using System.Text.Json;

namespace ZAi.Emulator;

/// <summary>
/// How submitted tasks behave (thread-safe): the <see cref="TaskSpec"/> template every task created
/// by a submission is built from, and the queue of faults consumed one per submission request.
/// </summary>
internal sealed class SubmissionSettings
{
    private readonly Lock _gate = new();
    private readonly Queue<(FaultSpec Spec, Fault Fault)> _faults = new();
    private TaskSpec _template = new();

    /// <summary>
    /// Replaces the template (when <paramref name="template"/> is not null) and the fault queue (when
    /// <paramref name="faults"/> is not null). Both are validated first: on an
    /// <see cref="ArgumentException"/> nothing changed. The arguments are copied, so later changes
    /// to them have no effect.
    /// </summary>
    public void Configure(TaskSpec? template, IEnumerable<FaultSpec>? faults)
    {
        TaskSpec? templateCopy = template is null ? null : CopyAndValidate(template);
        List<(FaultSpec, Fault)>? faultList = faults?.Select(ValidateFault).ToList();
        lock (_gate)
        {
            if (templateCopy is not null) _template = templateCopy;
            if (faultList is not null)
            {
                _faults.Clear();
                foreach ((FaultSpec, Fault) fault in faultList)
                {
                    _faults.Enqueue(fault);
                }
            }
        }
    }

    /// <summary>The spec of a task a submission creates: the template with the submission's identity.</summary>
    public TaskSpec SpecFor(string taskId, TaskKind kind, string model, string requestId)
    {
        lock (_gate)
        {
            return _template.WithIdentity(taskId, kind, model, requestId);
        }
    }

    /// <summary>The next queued fault (consumed), or null when the queue is empty.</summary>
    public Fault? TakeFault()
    {
        lock (_gate)
        {
            return _faults.TryDequeue(out (FaultSpec Spec, Fault Fault) next) ? next.Fault : null;
        }
    }

    /// <summary>Number of faults not yet consumed.</summary>
    public int FaultsRemaining
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count;
            }
        }
    }

    /// <summary>The template and the faults not yet consumed, as copies.</summary>
    public (TaskSpec Template, List<FaultSpec> Faults) Snapshot()
    {
        lock (_gate)
        {
            return (Copy(_template), _faults.Select(f => f.Spec.Clone()).ToList());
        }
    }

    /// <summary>Restores the default template (all <see cref="TaskSpec"/> defaults) and empties the fault queue.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _template = new TaskSpec();
            _faults.Clear();
        }
    }

    private static TaskSpec CopyAndValidate(TaskSpec template)
    {
        TaskSpec copy = Copy(template);
        try
        {
            // identity fields are ignored (and so cannot be invalid); the rest does not depend on the kind
            TaskFactory.Create(copy.WithIdentity("template", TaskKind.Video, "cogvideox-3", "template"));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("submission: " + e.Message, e);
        }
        return copy;
    }

    private static (FaultSpec, Fault) ValidateFault(FaultSpec spec, int index)
    {
        if (spec is null) throw new ArgumentException($"submissionFaults[{index}] must be a fault object, not null.");
        try
        {
            return (spec.Clone(), Fault.From(spec, forMedia: false));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"submissionFaults[{index}]: {e.Message}", e);
        }
    }

    /// <summary>A deep copy (through JSON), so that callers cannot change the stored template.</summary>
    private static TaskSpec Copy(TaskSpec spec) =>
        JsonSerializer.SerializeToElement(spec, EmulatorJson.Default.TaskSpec).Deserialize(EmulatorJson.Default.TaskSpec)!;
}
