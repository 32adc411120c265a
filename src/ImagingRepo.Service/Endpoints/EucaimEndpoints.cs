using System.Text.Json;
using ImagingRepo.Service.Eucaim;
using ImagingRepo.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary>EUCAIM's federated search (<c>POST /datasets/eucaimSearch</c>), authorized by a shared secret rather than a user token.</summary>
internal static class EucaimEndpoints
{
    /// <summary>Largest search request read.</summary>
    private const int MaxRequestBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapEucaim(this IEndpointRouteBuilder api)
    {
        api.MapPost("/datasets/eucaimSearch", async (HttpContext context, EucaimSearchService service) =>
        {
            // A body that is not application/json never gets here: the endpoint accepts JSON only (415).
            service.Authorize(context.Request.Headers.Authorization.ToString());
            if (context.Request.ContentLength > MaxRequestBytes) throw ServiceProblemException.PayloadTooLarge($"A search request has at most {MaxRequestBytes} bytes.");
            JsonDocument document;
            try
            {
                using var limited = new LimitedStream(context.Request.Body, MaxRequestBytes);
                document = await JsonDocument.ParseAsync(limited, new JsonDocumentOptions { MaxDepth = 2 * EucaimSearchTree.MaxDepth + 8 }, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw ServiceProblemException.Invalid("The body is not valid JSON: " + e.Message);
            }

            using (document)
            {
                var result = await service.SearchAsync(document.RootElement, context.RequestAborted).ConfigureAwait(false);
                return Results.Json(result, ServiceJsonContext.Default.EucaimSearchResponse);
            }
        }).WithTags("datasets").WithName("eucaimSearch").Accepts<object>("application/json").Produces<EucaimSearchResponse>()
            .Problems(400, 401, 404, 413, 422, 429).RequireRateLimiting(ServiceRateLimits.Search);
        return api;
    }

    /// <summary>Reads at most a given number of bytes from a stream; one byte more is a 413.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw ServiceProblemException.PayloadTooLarge($"A search request has at most {limit} bytes.");
            return read;
        }
    }
}
