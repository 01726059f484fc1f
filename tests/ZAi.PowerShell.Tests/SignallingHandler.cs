namespace ZAi.PowerShell.Tests;

/// <summary>Passes requests on and signals when the first response's headers have arrived.</summary>
internal sealed class SignallingHandler : DelegatingHandler
{
    private readonly TaskCompletionSource<HttpResponseMessage> _firstResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SignallingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    public Task<HttpResponseMessage> FirstResponse => _firstResponse.Task;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _firstResponse.TrySetResult(response);
        return response;
    }
}
