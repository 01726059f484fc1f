using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ZAi.PowerShell.Client;
using ZAi.PowerShell.Errors;
using Xunit;

namespace ZAi.PowerShell.Tests;

public class ResponseBodyTests
{
    /// <summary>
    /// A body with or without a Content-Length, read from a stream of its own; tells whether it was read. Not through
    /// HttpContent's own buffering: that keeps the body in an array of the shared pool, where a buffer ResponseBody
    /// rents could find the bytes already in place and hide a lost copy.
    /// </summary>
    private sealed class Body : HttpContent
    {
        private readonly byte[] _bytes;
        private readonly bool _declared;

        public Body(byte[] bytes, bool declared)
        {
            _bytes = bytes;
            _declared = declared;
        }

        public bool Read { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            Read = true;
            return stream.WriteAsync(_bytes, 0, _bytes.Length);
        }

        protected override Task<Stream> CreateContentReadStreamAsync()
        {
            Read = true;
            return Task.FromResult<Stream>(new MemoryStream(_bytes, writable: false));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return _declared;
        }
    }

    private static byte[] Pattern(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Theory]
    [InlineData(0, true)]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(300, false)]
    [InlineData(4096, false)]
    [InlineData(4097, false)]
    [InlineData(100_000, true)]
    [InlineData(100_000, false)]
    public async Task ReturnsExactlyTheBodysBytesWhetherOrNotItsLengthWasDeclared(int length, bool declared)
    {
        var bytes = Pattern(length);
        var content = new Body(bytes, declared);
        Assert.Equal(declared ? length : null, content.Headers.ContentLength);

        var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        Assert.Equal(length, body.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(body));
    }

    [Fact]
    public async Task ABodyLongerThanItsDeclaredLengthIsReadWhole()
    {
        var bytes = Pattern(5000);
        var content = new Body(bytes, declared: false);
        content.Headers.ContentLength = 10;

        var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        Assert.True(bytes.AsSpan().SequenceEqual(body));
    }

    [Fact]
    public async Task ABodyOfExactlyTheLimitIsReadAndOneByteMoreIsRefused()
    {
        var atLimit = await ResponseBody.ReadAsync(new Body(new byte[ResponseBody.MaxBytes], declared: false), CancellationToken.None);
        Assert.Equal(ResponseBody.MaxBytes, atLimit.Length);

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => ResponseBody.ReadAsync(new Body(new byte[ResponseBody.MaxBytes + 1], declared: false), CancellationToken.None));

        Assert.Equal(ZAiErrorReason.InvalidResponse, error.Reason);
        Assert.Equal("The response body is larger than 16 MiB; an API response never is.", error.Message);
    }

    [Fact]
    public async Task ADeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead()
    {
        var content = new Body(Pattern(10), declared: false);
        content.Headers.ContentLength = ResponseBody.MaxBytes + 1L;

        var error = await Assert.ThrowsAsync<ZAiApiException>(() => ResponseBody.ReadAsync(content, CancellationToken.None));

        Assert.Equal(ZAiErrorReason.InvalidResponse, error.Reason);
        Assert.False(content.Read);
    }
}
