using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ImagingRepo.Dicom.Infrastructure;

namespace ImagingRepo.Benchmarks.Dicom;

/// <summary>
/// The receipt hash of four 512 KiB outputs (four CT slices): OpenSSL's SHA3-256 one file at a time against the
/// four-lane AVX2 Keccak that <c>DeidentificationEngine.DeidentifyFiles</c> uses.
/// </summary>
public class ReceiptHashBenchmarks
{
    private readonly ReadOnlyMemory<byte>[] _outputs = new ReadOnlyMemory<byte>[4];
    private readonly byte[] _digests = new byte[4 * Sha3x4.DigestLength];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < _outputs.Length; i++)
        {
            var bytes = new byte[512 * 1024];
            random.NextBytes(bytes);
            _outputs[i] = bytes;
        }
    }

    [Benchmark(Baseline = true)]
    public void OpenSslOneAtATime()
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            SHA3_256.HashData(_outputs[i].Span, _digests.AsSpan(i * Sha3x4.DigestLength, Sha3x4.DigestLength));
        }
    }

    [Benchmark]
    public void FourLanes() => Sha3x4.HashData(_outputs, _digests);
}
