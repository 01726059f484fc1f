using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace ZAi.Emulator;

/// <summary>Ends a response mid-body the way a dying server or proxy does.</summary>
internal static class ConnectionDrop
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(2);

    /// <summary>Time for the transport to hand the flushed bytes to the socket before it is shut down.</summary>
    private static readonly TimeSpan SendSettle = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Flushes what was written, lets the transport send it, closes the sending side (FIN, so the
    /// client receives the partial body and then end-of-stream rather than a reset that may discard
    /// it), waits up to two seconds for the client to close, then aborts the connection.
    /// </summary>
    public static async Task AfterFlushAsync(HttpContext ctx)
    {
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted);
        Socket? socket = ctx.Features.Get<IConnectionSocketFeature>()?.Socket;
        try
        {
            await Task.Delay(SendSettle, ctx.RequestAborted);
            if (socket is not null)
            {
                socket.Shutdown(SocketShutdown.Send);
                await Task.Delay(GracePeriod, ctx.RequestAborted);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the client closed first (expected)
        }
        ctx.Abort();
    }
}
