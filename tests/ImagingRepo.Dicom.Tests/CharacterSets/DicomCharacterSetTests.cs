using System.Text;
using ImagingRepo.Dicom.CharacterSets;

namespace ImagingRepo.Dicom.Tests.CharacterSets;

public sealed class DicomCharacterSetTests
{
    private static byte[] Bytes(string latin1Escaped) => Encoding.Latin1.GetBytes(latin1Escaped);

    [Theory]
    [InlineData("ISO_IR 100", "Buc^J\u00e9r\u00f4me", "Buc^Jérôme")]
    [InlineData("ISO_IR 144", "\u00bb\u00ee\u00dace\u00dc\u00d1yp\u00d3", "Люкceмбypг")]
    [InlineData("ISO_IR 126", "\u00c4\u00e9\u00ef\u00ed\u00f5\u00f3\u00e9\u00ef\u00f2", "Διονυσιος")]
    [InlineData("ISO_IR 138", "\u00f9\u00f8\u00e5\u00ef^\u00e3\u00e1\u00e5\u00f8\u00e4", "שרון^דבורה")]
    [InlineData("GB18030", "Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab=", "Wang^XiaoDong=王^小东=")]
    [InlineData("\\ISO 2022 IR 87", "Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B=\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B", "Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=\u001b$B;3ED\u001b(J^\u001b$BB@O:\u001b(J=\u001b$B$d$^$@\u001b(J^\u001b$B$?$m$&\u001b(J", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう")]
    [InlineData("\\ISO 2022 IR 149", "Hong^Gildong=\u001b$)C\u00fb\u00f3^\u001b$)C\u00d1\u00ce\u00d4\u00d7=\u001b$)C\u00c8\u00ab^\u001b$)C\u00b1\u00e6\u00b5\u00bf", "Hong^Gildong=洪^吉洞=홍^길동")]
    public void Person_names_decode_per_the_specific_character_set(string terms, string raw, string expected)
    {
        var charset = DicomCharacterSet.FromTerms(terms.Split('\\'));
        Assert.Equal(expected, charset.Decode(Bytes(raw), DicomVR.PN));
    }

    [Fact]
    public void Utf8_round_trips_through_encode()
    {
        var charset = DicomCharacterSet.FromTerms("ISO_IR 192");
        var bytes = charset.Encode("Wang^XiaoDong=王^小東");
        Assert.Equal("Wang^XiaoDong=王^小東", charset.Decode(bytes, DicomVR.PN));
    }

    [Fact]
    public void Unknown_terms_fall_back_to_latin1_without_failing()
    {
        var charset = DicomCharacterSet.FromTerms("ISO_IR 999");
        Assert.Equal("Jé", charset.Decode(Bytes("J\u00e9"), DicomVR.LO));
    }
}
