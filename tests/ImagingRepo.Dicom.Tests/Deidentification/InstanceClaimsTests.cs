using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ImagingRepo.Dicom.Deidentification.Engine;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class InstanceClaimsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("9999999999999999999")]
    [InlineData("10000000000000000000")]
    [InlineData("215089087089087089087089087089087089087")]
    [InlineData("340282366920938463463374607431768211455")] // UInt128.MaxValue
    public void A_2_25_uid_is_keyed_by_its_number(string digits)
    {
        Assert.Equal(UInt128.Parse(digits, CultureInfo.InvariantCulture), InstanceClaims.KeyOf("2.25." + digits));
    }

    [Fact]
    public void Random_2_25_numbers_are_keyed_by_their_value()
    {
        var random = new Random(7);
        var bytes = new byte[16];
        for (var i = 0; i < 2_000; i++)
        {
            random.NextBytes(bytes);
            var number = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes) >> random.Next(0, 128);
            Assert.Equal(number, InstanceClaims.KeyOf("2.25." + number.ToString(CultureInfo.InvariantCulture)));
        }
    }

    [Theory]
    [InlineData("2.25.340282366920938463463374607431768211456")] // UInt128.MaxValue + 1: no number, hashed
    [InlineData("2.25.012")] // a leading zero is not a UID component
    [InlineData("2.25.12a")]
    [InlineData("1.2.840.10008.1.2")]
    public void Other_uids_are_keyed_by_their_hash(string uid)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(uid));
        Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash), InstanceClaims.KeyOf(uid));
    }

    [Fact]
    public void Numbers_past_128_bits_do_not_wrap_onto_smaller_ones()
    {
        var past = (BigInteger)UInt128.MaxValue + 5;
        Assert.NotEqual(InstanceClaims.KeyOf("2.25.4"), InstanceClaims.KeyOf("2.25." + past.ToString(CultureInfo.InvariantCulture)));
    }
}
