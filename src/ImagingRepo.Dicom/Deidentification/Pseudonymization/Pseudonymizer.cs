using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Dicom.Deidentification.Pseudonymization;

/// <summary>
/// Keyed, stateless pseudonyms: replacement UIDs, patient identifiers and per-patient date offsets, each an
/// HMAC-SHA256 under the project key. The same input and key give the same output on every run and machine.
/// </summary>
/// <remarks>Thread-safe: it holds only the key and settings.</remarks>
public sealed class Pseudonymizer
{
    private const int MaxStackInput = 256;

    /// <summary>Pseudonyms remembered before the cache starts over: study, series and frame UIDs repeat in every instance.</summary>
    private const int UidCacheLimit = 16_384;

    /// <summary>Patients remembered before their caches start over: every instance of a study asks again.</summary>
    private const int PatientCacheLimit = 4_096;

    private readonly ThreadLocal<IncrementalHash> _hmac;
    private readonly BoundedCache<string> _uids = new(UidCacheLimit);

    // a patient's pseudonyms and date offset, asked for by every one of the patient's instances
    private readonly BoundedCache<int> _dateShifts = new(PatientCacheLimit);
    private readonly BoundedCache<string> _patientIds = new(PatientCacheLimit);
    private readonly BoundedCache<string> _patientNames = new(PatientCacheLimit);

    /// <summary>Creates a pseudonymizer.</summary>
    /// <param name="key">The project key.</param>
    /// <param name="settings">Pseudonym formats and the date-shift range; defaults when null.</param>
    public Pseudonymizer(DeidentificationKey key, PseudonymSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(key);

        // one HMAC context per thread, reset after each use: creating one costs more than the MAC itself
        var secret = key.Secret.ToArray();
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret));
        Settings = settings ?? new PseudonymSettings();
        Settings.Validate();
    }

    /// <summary>The formats and ranges in use.</summary>
    public PseudonymSettings Settings { get; }

    /// <summary>
    /// The replacement for a UID: <c>2.25.</c> followed by the decimal value of the first 128 bits of
    /// HMAC-SHA256(key, uid). Trailing NUL or space padding of the original is ignored.
    /// </summary>
    /// <param name="uid">The original UID.</param>
    /// <returns>The replacement UID (at most 44 characters).</returns>
    public string ReplaceUid(ReadOnlySpan<char> uid) => ReplaceUid(uid, remember: true);

    /// <summary>As <see cref="ReplaceUid(ReadOnlySpan{char})"/>; <paramref name="remember"/> false for a UID seen once
    /// (an instance's own SOP Instance UID), which would only crowd out the study and series UIDs that recur.</summary>
    internal string ReplaceUid(ReadOnlySpan<char> uid, bool remember)
    {
        uid = uid.TrimEnd("\0 ");
        if (_uids.TryGet(uid, out var known))
        {
            return known;
        }

        Span<byte> mac = stackalloc byte[32];
        Mac(default, uid, mac);
        var value = BinaryPrimitives.ReadUInt128BigEndian(mac);
        var replacement = "2.25." + value.ToString(CultureInfo.InvariantCulture);
        if (remember)
        {
            _uids.Add(uid, replacement);
        }

        return replacement;
    }

    /// <summary>
    /// A SOP Instance UID for an instance that has none, derived from the SHA-256 of its file under the key (domain-separated
    /// from UIDs): a <c>2.25.</c> UID like the other replacements, the same for the same file in every run.
    /// </summary>
    internal string InstanceUidFromContent(ReadOnlySpan<byte> contentHash)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac("instance-content", Convert.ToHexString(contentHash), mac);
        return "2.25." + BinaryPrimitives.ReadUInt128BigEndian(mac).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The keyed pseudonym of a patient, formatted with <see cref="PseudonymSettings.PatientIdFormat"/>.</summary>
    /// <param name="patientId">The original Patient ID (the patient key).</param>
    /// <returns>The pseudonymous Patient ID.</returns>
    public string PatientId(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        return _patientIds.GetOrAdd(patientId, this, static (id, self) => self.Format(self.Settings.PatientIdFormat, id));
    }

    /// <summary>The keyed pseudonymous name of a patient, formatted with <see cref="PseudonymSettings.PatientNameFormat"/>.</summary>
    /// <param name="patientId">The original Patient ID (the patient key; the name derives from it so that both agree).</param>
    /// <returns>The pseudonymous Patient's Name.</returns>
    public string PatientName(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        return _patientNames.GetOrAdd(patientId, this, static (id, self) => self.Format(self.Settings.PatientNameFormat, id));
    }

    /// <summary>A keyed short pseudonym for another identifier (an AE title, an accession number): 16 hex digits.</summary>
    /// <param name="domain">What kind of identifier it is, so equal texts of different kinds do not collide.</param>
    /// <param name="value">The original value.</param>
    /// <param name="length">Hex digits to return (1-64).</param>
    /// <returns>The pseudonym.</returns>
    public string Token(string domain, ReadOnlySpan<char> value, int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 64);
        Span<byte> mac = stackalloc byte[32];
        Mac(domain, value, mac);
        return Convert.ToHexString(mac)[..length];
    }

    /// <summary>
    /// The number of days every date of the patient moves under the Modified Dates option: a key-derived value
    /// in [<see cref="PseudonymSettings.DateShiftMinDays"/>, <see cref="PseudonymSettings.DateShiftMaxDays"/>], never 0.
    /// </summary>
    /// <param name="patientId">The original Patient ID.</param>
    /// <returns>The offset in days.</returns>
    public int DateShiftDays(string patientId)
    {
        ArgumentNullException.ThrowIfNull(patientId);
        return _dateShifts.GetOrAdd(patientId, this, static (id, self) => self.ComputeDateShiftDays(id));
    }

    private int ComputeDateShiftDays(string patientId)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac("date-shift", patientId, mac);
        long min = Settings.DateShiftMinDays;
        long max = Settings.DateShiftMaxDays;
        var span = max - min + 1;
        var offset = (int)(min + (long)(BinaryPrimitives.ReadUInt64BigEndian(mac) % (ulong)span));
        if (offset == 0)
        {
            // zero would leave the dates unchanged: step to the nearest value of the range
            offset = max > 0 ? 1 : -1;
        }

        return offset;
    }

    private string Format(string format, string patientId)
    {
        Span<byte> mac = stackalloc byte[32];
        Mac("patient", patientId.TrimEnd('\0', ' '), mac);
        var hex = Convert.ToHexString(mac);
        var builder = new StringBuilder(format.Length + 32);
        var i = 0;
        while (i < format.Length)
        {
            var open = format.IndexOf("{hash", i, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(format, i, format.Length - i);
                break;
            }

            builder.Append(format, i, open - i);
            var close = format.IndexOf('}', open);
            var spec = format.AsSpan(open + 5, close - open - 5);
            var length = spec.IsEmpty ? 16 : int.Parse(spec[1..], CultureInfo.InvariantCulture);
            builder.Append(hex, 0, length);
            i = close + 1;
        }

        return builder.ToString();
    }

    private void Mac(string? domain, ReadOnlySpan<char> value, Span<byte> destination)
    {
        var domainLength = domain is null ? 0 : Encoding.UTF8.GetByteCount(domain) + 1;
        var length = domainLength + Encoding.UTF8.GetByteCount(value);
        var input = length <= MaxStackInput ? stackalloc byte[MaxStackInput] : new byte[length];
        input = input[..length];
        if (domain is not null)
        {
            // domain-separated so that a UID never collides with a patient or date input; UIDs have no prefix
            Encoding.UTF8.GetBytes(domain, input);
            input[domainLength - 1] = 0;
        }

        Encoding.UTF8.GetBytes(value, input[domainLength..]);
        var hmac = _hmac.Value!;
        hmac.AppendData(input);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>
    /// Values derived from a text under the key, remembered up to a bound and then forgotten all at once: memory stays
    /// bounded on any input, and a forgotten value is only computed again (the same, being keyed and stateless).
    /// </summary>
    private sealed class BoundedCache<T>(int limit)
    {
        private readonly ConcurrentDictionary<string, T> _values = new(StringComparer.Ordinal);
        private int _count;

        public bool TryGet(ReadOnlySpan<char> text, [MaybeNullWhen(false)] out T value) =>
            _values.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out value);

        public void Add(ReadOnlySpan<char> text, T value)
        {
            if (Interlocked.Increment(ref _count) > limit)
            {
                _values.Clear();
                Interlocked.Exchange(ref _count, 0);
            }

            _values.GetAlternateLookup<ReadOnlySpan<char>>().TryAdd(text, value);
        }

        public T GetOrAdd(string text, Pseudonymizer owner, Func<string, Pseudonymizer, T> compute)
        {
            if (TryGet(text, out var known))
            {
                return known;
            }

            var value = compute(text, owner);
            Add(text, value);
            return value;
        }
    }
}
