using System.Collections.Concurrent;
using System.Text;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class PreambleAndInstanceUidTests : IDisposable
{
    private const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x21, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-identity-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_preamble_is_zeros_or_the_policys_and_the_receipt_says_which()
    {
        var input = Write("in.dcm", withClass: true, withInstance: true, metaClass: CtImage, metaInstance: "1.2.3.9");

        var zeroed = new DeidentificationEngine(Key).DeidentifyFile(input, Path.Combine(_root, "zeros"));
        Assert.Equal(new byte[128], File.ReadAllBytes(zeroed.OutputPath!).AsSpan(0, 128).ToArray());
        Assert.Equal("zeros", zeroed.Receipt!.Preamble);
        Assert.Contains("\"preamble\":\"zeros\"", zeroed.Receipt.ToJsonLine(), StringComparison.Ordinal);

        var fixedPreamble = Enumerable.Range(0, 128).Select(i => (byte)i).ToArray();
        var policy = DeidentificationPolicy.Parse($$"""{ "preamble": "{{Convert.ToBase64String(fixedPreamble)}}" }""");
        var fixedOne = new DeidentificationEngine(Key, policy).DeidentifyFile(input, Path.Combine(_root, "fixed"));
        Assert.Equal(fixedPreamble, File.ReadAllBytes(fixedOne.OutputPath!).AsSpan(0, 128).ToArray());
        Assert.Equal("policy", fixedOne.Receipt!.Preamble);
    }

    [Theory]
    [InlineData(127)]
    [InlineData(129)]
    public void A_preamble_of_other_than_128_bytes_is_refused(int length)
    {
        var json = $$"""{ "preamble": "{{Convert.ToBase64String(new byte[length])}}" }""";
        var e = Assert.Throws<DeidentificationPolicyException>(() => DeidentificationPolicy.Parse(json, "p.json"));
        Assert.Contains("preamble must be exactly 128 bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<DeidentificationPolicyException>(() => new DeidentificationEngine(Key, new DeidentificationPolicy { Preamble = new byte[length] }));
    }

    [Fact]
    public void Uids_missing_from_the_dataset_are_taken_from_the_file_meta_and_pseudonymized()
    {
        var input = Write("meta-only.dcm", withClass: false, withInstance: false, metaClass: CtImage, metaInstance: "1.2.3.9");

        var result = new DeidentificationEngine(Key).DeidentifyFile(input, Path.Combine(_root, "out"));

        Assert.Equal(DeidentificationStatus.Deidentified, result.Status);
        var output = DicomFile.Open(result.OutputPath!);
        Assert.Equal(CtImage, output.Dataset.GetString(DicomTags.SOPClassUID));
        Assert.Equal(new Pseudonymizer(Key).ReplaceUid("1.2.3.9"), output.Dataset.GetString(DicomTags.SOPInstanceUID));
        Assert.Equal(output.Dataset.GetString(DicomTags.SOPInstanceUID), output.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        Assert.Equal(2, result.Diagnostics.Count);
        Assert.Equal(result.Diagnostics, result.Receipt!.Diagnostics);
        Assert.Contains("taken from Media Storage SOP Instance UID (0002,0003)", result.Diagnostics[1], StringComparison.Ordinal);
    }

    [Fact]
    public void An_instance_without_any_instance_uid_gets_one_from_the_key_and_its_content()
    {
        var input = Write("no-uid.dcm", withClass: true, withInstance: false, metaClass: CtImage, metaInstance: null);
        var other = Write("no-uid-other.dcm", withClass: true, withInstance: false, metaClass: CtImage, metaInstance: null, patient: "P2");

        string Uid(DeidentificationKey key, string path, string folder)
        {
            var result = new DeidentificationEngine(key).DeidentifyFile(path, Path.Combine(_root, folder));
            Assert.Equal(DeidentificationStatus.Deidentified, result.Status);
            Assert.Contains("derived from the key and the input's content", Assert.Single(result.Diagnostics), StringComparison.Ordinal);
            var output = DicomFile.Open(result.OutputPath!);
            var uid = output.Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.Equal(uid, output.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
            Assert.Contains("(0008,0018)", result.Receipt!.Tags["U"]);
            return uid;
        }

        var first = Uid(Key, input, "a");
        Assert.Matches(@"^2\.25\.[1-9][0-9]*$", first);
        Assert.Equal(first, Uid(Key, input, "b"));
        Assert.NotEqual(first, Uid(Key, other, "c"));
        Assert.NotEqual(first, Uid(new DeidentificationKey(Enumerable.Repeat((byte)0x22, 32).ToArray()), input, "d"));
    }

    [Fact]
    public void Two_copies_of_an_instance_without_uids_in_a_batch_are_one_output_and_a_duplicate()
    {
        var input = Write("no-uid.dcm", withClass: true, withInstance: false, metaClass: CtImage, metaInstance: null);
        var copy = Path.Combine(_root, "no-uid-copy.dcm");
        File.Copy(input, copy);
        var results = new ConcurrentBag<DeidentificationResult>();

        new DeidentificationEngine(Key).DeidentifyFiles([input, copy], Path.Combine(_root, "out"), results.Add, maxDegreeOfParallelism: 2);

        Assert.Equal(DeidentificationStatus.Deidentified, results.Single(r => r.SourcePath == input).Status);
        var duplicate = results.Single(r => r.SourcePath == copy);
        Assert.Equal(DeidentificationStatus.Skipped, duplicate.Status);
        Assert.Equal("duplicate of " + input, duplicate.Reason);
    }

    [Fact]
    public void Without_a_sop_class_anywhere_or_as_a_dicomdir_the_input_fails_with_the_reason()
    {
        var classless = Write("classless.dcm", withClass: false, withInstance: true, metaClass: null, metaInstance: "1.2.3.9");
        var directory = Write("DICOMDIR", withClass: false, withInstance: false, metaClass: "1.2.840.10008.1.3.10", metaInstance: "1.2.3.10");
        var engine = new DeidentificationEngine(Key);

        var noClass = engine.DeidentifyFile(classless, Path.Combine(_root, "out"));
        var dicomdir = engine.DeidentifyFile(directory, Path.Combine(_root, "out"));

        Assert.Equal(DeidentificationStatus.Failed, noClass.Status);
        Assert.Contains("SOP Class UID (0008,0016) is missing", noClass.Reason, StringComparison.Ordinal);
        Assert.Equal(DeidentificationStatus.Failed, dicomdir.Status);
        Assert.Contains("DICOMDIR", dicomdir.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")) && Directory.EnumerateFiles(Path.Combine(_root, "out"), "*", SearchOption.AllDirectories).Any());
    }

    private string Write(string name, bool withClass, bool withInstance, string? metaClass, string? metaInstance, string patient = "P1")
    {
        var dataset = new DicomDataset();
        if (withClass)
        {
            dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, CtImage);
        }

        if (withInstance)
        {
            dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.9");
        }

        dataset.SetString(DicomTags.Modality, DicomVR.CS, "MR");
        dataset.SetString(DicomTags.PatientID, DicomVR.LO, patient);
        dataset.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.3.1");
        dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.3.2");
        var file = new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        if (metaClass is not null)
        {
            file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, metaClass);
        }

        if (metaInstance is not null)
        {
            file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, metaInstance);
        }

        var preamble = new byte[128];
        Encoding.ASCII.GetBytes("SENDER=MODALITY_AE", preamble);
        file.Preamble = preamble;
        var path = Path.Combine(_root, name);
        file.Save(path);
        return path;
    }
}
