using System.Reflection;
using ImagingRepo.Dicom.DataDictionary;

namespace ImagingRepo.Dicom.Tests.Dictionary;

public sealed class DicomTagTests
{
    [Fact]
    public void Every_generated_keyword_is_the_dictionary_keyword_of_its_tag()
    {
        var members = typeof(DicomTags).GetProperties(BindingFlags.Public | BindingFlags.Static);
        Assert.True(members.Length > 4000);
        foreach (var member in members)
        {
            var tag = (DicomTag)member.GetValue(null)!;
            Assert.Equal(member.Name, DicomDictionary.GetKeyword(tag));
            Assert.True(DicomTag.TryParse(member.Name, out var parsed));
            Assert.Equal(tag, parsed);
        }
    }

    [Fact]
    public void Acronyms_keep_the_spelling_of_PS3_6()
    {
        Assert.Equal(0x00080018u, DicomTags.SOPInstanceUID.Value);
        Assert.Equal(0x00100020u, DicomTags.PatientID.Value);
        Assert.Equal(0x00080120u, DicomTags.URNCodeValue.Value);
    }

    [Theory]
    [InlineData(0x00100010u, false, false, false, false)]
    [InlineData(0x00030010u, true, false, false, false)]
    [InlineData(0x00090010u, true, true, true, false)]
    [InlineData(0x00091002u, true, true, false, true)]
    [InlineData(0x00090002u, true, true, false, false)]
    public void Predicates(uint value, bool oddGroup, bool isPrivate, bool creator, bool dataElement)
    {
        var tag = new DicomTag(value);
        Assert.Equal(oddGroup, tag.IsOddGroup);
        Assert.Equal(isPrivate, tag.IsPrivate);
        Assert.Equal(creator, tag.IsPrivateCreator);
        Assert.Equal(dataElement, tag.IsPrivateDataElement);
        Assert.Equal(dataElement ? new DicomTag(0x00090010) : null, tag.PrivateCreatorTag);
    }
}
