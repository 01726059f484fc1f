namespace ZAi
{
    /// <summary>Where an asynchronous task is in its lifecycle. The raw API value is kept in <see cref="AsyncResult.TaskStatus"/>.</summary>
    public enum AsyncTaskStatus
    {
        /// <summary>A status the module does not know. Treated as not finished.</summary>
        Unknown = 0,
        /// <summary>PROCESSING, or SUBMITTED: the task is still running.</summary>
        Processing = 1,
        /// <summary>SUCCESS: the task finished and its media links are in the result.</summary>
        Success = 2,
        /// <summary>FAIL: the task finished without a result.</summary>
        Fail = 3,
    }
}
