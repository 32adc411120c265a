using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ImagingRepo.Client.Tests.Support;

/// <summary>
/// A small real HTTP server on 127.0.0.1 (HttpListener) that answers each request with what <c>respond</c> decides,
/// recording the Authorization header of each request: the API end of handler tests.
/// </summary>
internal sealed class LoopbackApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, (int Status, string Body, IReadOnlyDictionary<string, string>? Headers)> _respond;
    private readonly Task _loop;

    public LoopbackApi(Func<HttpListenerRequest, (int Status, string Body, IReadOnlyDictionary<string, string>? Headers)> respond)
    {
        _respond = respond;
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<string?> Authorizations { get; } = new();

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _listener.Close();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Authorizations.Enqueue(context.Request.Headers["Authorization"]);
            var (status, body, headers) = _respond(context.Request);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json"; // unless the answer names its own
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) context.Response.ContentType = value;
                else context.Response.Headers[name] = value;
            }

            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
