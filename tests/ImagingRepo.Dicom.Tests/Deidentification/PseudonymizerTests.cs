using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public class PseudonymizerTests
{
    private static readonly DeidentificationKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void Uid_is_2_25_and_the_decimal_of_the_first_128_bits_of_the_hmac()
    {
        const string uid = "1.2.826.0.1.3680043.8.498.1";
        var mac = HMACSHA256.HashData(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray(), Encoding.ASCII.GetBytes(uid));
        var expected = "2.25." + new BigInteger(mac.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);

        var replaced = new Pseudonymizer(Key).ReplaceUid(uid + "\0");

        Assert.Equal(expected, replaced);
        Assert.True(replaced.Length <= 64);
        Assert.DoesNotContain("..", replaced, StringComparison.Ordinal);
    }

    [Fact]
    public void Replacement_is_stable_and_depends_on_the_key()
    {
        var a = new Pseudonymizer(Key);
        var b = new Pseudonymizer(DeidentificationKey.Parse(Key.ToBase64()));
        var other = new Pseudonymizer(DeidentificationKey.Generate());

        Assert.Equal(a.ReplaceUid("1.2.3.4"), b.ReplaceUid("1.2.3.4"));
        Assert.NotEqual(a.ReplaceUid("1.2.3.4"), a.ReplaceUid("1.2.3.5"));
        Assert.NotEqual(a.ReplaceUid("1.2.3.4"), other.ReplaceUid("1.2.3.4"));
        Assert.Equal(a.PatientId("PAT-1"), b.PatientId("PAT-1"));
        Assert.NotEqual(a.PatientId("PAT-1"), other.PatientId("PAT-1"));
    }

    [Fact]
    public void Patient_pseudonyms_follow_the_formats()
    {
        var p = new Pseudonymizer(Key, new PseudonymSettings { PatientIdFormat = "PRJ-{hash:8}", PatientNameFormat = "ANON^{hash:8}" });
        var id = p.PatientId("12345");
        var name = p.PatientName("12345");
        Assert.Matches("^PRJ-[0-9A-F]{8}$", id);
        Assert.Equal("ANON^" + id[4..], name);
    }

    [Fact]
    public void Date_shift_is_per_patient_within_range_and_never_zero()
    {
        var p = new Pseudonymizer(Key, new PseudonymSettings { DateShiftMinDays = -10, DateShiftMaxDays = 10 });
        var shifts = Enumerable.Range(0, 200).Select(i => p.DateShiftDays("P" + i)).ToList();
        Assert.All(shifts, s => Assert.InRange(s, -10, 10));
        Assert.DoesNotContain(0, shifts);
        Assert.True(shifts.Distinct().Count() > 10);
        Assert.Equal(p.DateShiftDays("P7"), p.DateShiftDays("P7"));
    }

    [Theory]
    [InlineData("{hash:65}")]
    [InlineData("NOHASH")]
    [InlineData("{hash:x}")]
    [InlineData("A\\{hash}")]
    [InlineData("{hash:64}{hash:8}")]
    public void Bad_formats_are_rejected(string format) =>
        Assert.Throws<ArgumentException>(() => new Pseudonymizer(Key, new PseudonymSettings { PatientIdFormat = format }));

    [Fact]
    public void Keys_parse_from_base64_and_hex_and_reject_short_ones()
    {
        var hex = Convert.ToHexString(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        Assert.Equal(Key.Fingerprint, DeidentificationKey.Parse(hex).Fingerprint);
        Assert.Equal(Key.Fingerprint, DeidentificationKey.Parse(Key.ToBase64() + "\n").Fingerprint);
        Assert.Throws<FormatException>(() => DeidentificationKey.Parse("AAAA"));
        Assert.Throws<ArgumentException>(() => new DeidentificationKey(new byte[8]));
    }

    [Theory]
    [InlineData("20200115", 10, "20200125")]
    [InlineData("20200301", -1, "20200229")]
    [InlineData("2020.03.01", -1, "20200229")]
    [InlineData("20200115\\20200116", 1, "20200116\\20200117")]
    [InlineData("202001", 40, "202002")]
    [InlineData("", 5, "")]
    public void Dates_shift_by_whole_days(string value, int days, string expected) =>
        Assert.Equal(expected, DateShifter.ShiftDate(value, days));

    [Theory]
    [InlineData("20201231235959.123456+0100", 1, "20210101235959.123456+0100")]
    [InlineData("2020", 400, "2021")]
    [InlineData("20200101120000", -1, "20191231120000")]
    public void Date_times_keep_their_time_fraction_and_offset(string value, int days, string expected) =>
        Assert.Equal(expected, DateShifter.ShiftDateTime(value, days));

    [Theory]
    [InlineData("2020013")]
    [InlineData("20201301")]
    [InlineData("ABCDEFGH")]
    [InlineData("20200230")]
    public void Non_dates_are_reported(string value) => Assert.Null(DateShifter.ShiftDate(value, 3));
}
