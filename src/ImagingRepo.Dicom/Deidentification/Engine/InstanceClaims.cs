using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Which input of a batch owns each output SOP Instance UID: the first in the input list that claims it, whatever order
/// the threads finish in. Each input claims its UID (or settles without one) as soon as it is read; before an output is
/// named, its input waits until every input before it in the list has settled, and then the owner of its UID is
/// known for good. No lock is taken per file: a claim is one concurrent-map update and one interlocked step of a
/// watermark, and only a thread that gets ahead of the watermark blocks.
/// </summary>
/// <remarks>
/// Inputs are taken in list order, and every taken input settles before its thread can wait for anything, so the
/// lowest unsettled input is always making progress and waiting cannot deadlock.
/// </remarks>
internal sealed class InstanceClaims
{
    private const int MaxPresizedClaims = 1 << 16;

    private readonly IReadOnlyList<string> _paths;
    private readonly int[] _settled;
    private readonly UInt128[] _keys; // each input's claimed UID as a map key, so that its owner is found without a second parse

    // output SOP Instance UID, as 128 bits, to the lowest index that claimed it
    private readonly ConcurrentDictionary<UInt128, int> _owners;
    private readonly object _gate = new();
    private int _watermark; // every index below it has settled
    private int _waiters;

    public InstanceClaims(IReadOnlyList<string> paths)
    {
        _paths = paths;
        _settled = new int[paths.Count];
        _keys = new UInt128[paths.Count];
        // sized for the batch up to a bound, so that a large batch does not regrow (and re-hash) the map again and again
        _owners = new ConcurrentDictionary<UInt128, int>(Environment.ProcessorCount, Math.Min(paths.Count, MaxPresizedClaims));
    }

    /// <summary>The input path at <paramref name="index"/>.</summary>
    public string PathAt(int index) => _paths[index];

    /// <summary>Records that input <paramref name="index"/> becomes the output <paramref name="sopInstanceUid"/>, and settles it.</summary>
    public void Claim(int index, string sopInstanceUid)
    {
        var key = _keys[index] = KeyOf(sopInstanceUid);
        _owners.AddOrUpdate(key, static (_, i) => i, static (_, owner, i) => Math.Min(owner, i), index);
        Settle(index);
    }

    /// <summary>Settles input <paramref name="index"/> without a claim (it failed or ended early); a no-op once settled.</summary>
    public void Settle(int index)
    {
        if (Interlocked.Exchange(ref _settled[index], 1) == 0)
        {
            Advance();
        }
    }

    /// <summary>
    /// The index of the input that owns <paramref name="sopInstanceUid"/>, which input <paramref name="index"/> claimed: waits
    /// until every input before <paramref name="index"/> has settled.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run was cancelled while waiting.</exception>
    public int OwnerOf(int index, string sopInstanceUid, CancellationToken cancellationToken)
    {
        WaitForSettledBefore(index, cancellationToken);
        Debug.Assert(_keys[index] == KeyOf(sopInstanceUid), "the UID asked about is the one the input claimed");
        return _owners[_keys[index]];
    }

    private void WaitForSettledBefore(int index, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _watermark) >= index)
        {
            return;
        }

        using var registration = cancellationToken.Register(static state => ((InstanceClaims)state!).WakeAll(), this);
        lock (_gate)
        {
            Interlocked.Increment(ref _waiters);
            try
            {
                while (Volatile.Read(ref _watermark) < index)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    /// <summary>Moves the watermark past every settled index it reaches, and wakes the waiters when it moved.</summary>
    private void Advance()
    {
        var moved = false;
        while (true)
        {
            // the settle above and the exchange below are full fences: of two threads settling neighbours, one sees the other
            var mark = Volatile.Read(ref _watermark);
            if (mark >= _settled.Length || Volatile.Read(ref _settled[mark]) == 0)
            {
                break;
            }

            moved |= Interlocked.CompareExchange(ref _watermark, mark + 1, mark) == mark;
        }

        if (moved && Volatile.Read(ref _waiters) > 0)
        {
            WakeAll();
        }
    }

    private void WakeAll()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// 128 bits that stand for a UID: the number itself for the <c>2.25.</c> UIDs pseudonyms are, the first half of its SHA-256
    /// otherwise (a UID kept under Retain UIDs), so the map holds no strings.
    /// </summary>
    internal static UInt128 KeyOf(string uid)
    {
        var digits = uid.AsSpan();
        if (digits.StartsWith("2.25.", StringComparison.Ordinal) && digits.Length > 5 && (digits[5] != '0' || digits.Length == 6)
            && TryParseDecimal(digits[5..], out var value))
        {
            return value;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(uid), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    /// <summary>
    /// Parses decimal digits into 128 bits, false on anything else or on overflow. Nineteen digits at a time fit a
    /// <see cref="ulong"/>, so a 39-digit pseudonym costs two 128-bit multiplications rather than the general parser's
    /// per-digit work.
    /// </summary>
    private static bool TryParseDecimal(ReadOnlySpan<char> digits, out UInt128 value)
    {
        const int ChunkDigits = 19;
        value = UInt128.Zero;
        while (!digits.IsEmpty)
        {
            var take = Math.Min(ChunkDigits, digits.Length);
            ulong chunk = 0;
            ulong scale = 1;
            foreach (var c in digits[..take])
            {
                var digit = (uint)(c - '0');
                if (digit > 9)
                {
                    return false;
                }

                chunk = (chunk * 10) + digit;
                scale *= 10;
            }

            if (value > (UInt128.MaxValue - chunk) / scale)
            {
                return false;
            }

            value = (value * scale) + chunk;
            digits = digits[take..];
        }

        return true;
    }
}
