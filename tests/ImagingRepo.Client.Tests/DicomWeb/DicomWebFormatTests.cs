using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Tests.Support;

namespace ImagingRepo.Client.Tests.DicomWeb;

/// <summary>
/// Answers that break PS3.18's formats become <see cref="DicomWebFormatException"/>, from a small real HTTP server on
/// 127.0.0.1 that serves them (no PACS sends them on purpose): a multipart body cut off, a part that is not DICOM, a
/// body that is not multipart, and DICOM JSON that is not an array.
/// </summary>
public sealed class DicomWebFormatTests : IDisposable
{
    private const string Boundary = "b0undary";
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-dicomweb-format-");

    public void Dispose() => _temp.Delete(recursive: true);

    private static string Part10(string text) => new string('\0', 128) + "DICM" + text;

    [Fact]
    public async Task Multipart_body_cut_off_after_a_part_is_a_format_error()
    {
        var body = $"--{Boundary}\r\nContent-Type: application/dicom\r\n\r\n{Part10("one")}\r\n--{Boundary}\r\nContent-Type: application/dicom\r\n\r\n{Part10("two, cut")}";

        var error = await RetrieveAsync(body, $"multipart/related; type=\"application/dicom\"; boundary={Boundary}");

        Assert.Contains("malformed after 1 parts", error.Message, StringComparison.Ordinal);
        Assert.Equal(["000001.dcm"], Directory.EnumerateFiles(_temp.FullName).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Part_that_is_not_a_dicom_file_is_a_format_error()
    {
        var body = $"--{Boundary}\r\nContent-Type: application/dicom\r\n\r\nnot a Part 10 file\r\n--{Boundary}--\r\n";

        var error = await RetrieveAsync(body, $"multipart/related; type=\"application/dicom\"; boundary={Boundary}");

        Assert.Contains("not a DICOM Part 10 file", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_temp.FullName));
    }

    [Fact]
    public async Task Body_that_is_not_multipart_or_has_no_boundary_is_a_format_error()
    {
        Assert.Contains("not multipart/related", (await RetrieveAsync(Part10("x"), "application/dicom")).Message, StringComparison.Ordinal);
        Assert.Contains("without a boundary", (await RetrieveAsync(Part10("x"), "multipart/related; type=\"application/dicom\"")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Qido_answer_that_is_not_an_array_of_datasets_is_a_format_error()
    {
        await using var api = new LoopbackApi(_ => (200, """{"0020000D": {"vr": "UI", "Value": ["1.2.3"]}}""", new Dictionary<string, string> { ["Content-Type"] = "application/dicom+json" }));
        var pacs = new DicomWebClient(api.BaseAddress, null, null);

        await Assert.ThrowsAsync<DicomWebFormatException>(async () =>
        {
            await foreach (var _ in pacs.SearchStudiesAsync(new DicomWebStudyQuery { PatientId = "P" })) { }
        });
    }

    private async Task<DicomWebFormatException> RetrieveAsync(string body, string contentType)
    {
        await using var api = new LoopbackApi(_ => (200, body, new Dictionary<string, string> { ["Content-Type"] = contentType }));
        var pacs = new DicomWebClient(api.BaseAddress, null, null);
        return await Assert.ThrowsAsync<DicomWebFormatException>(() => pacs.RetrieveStudyAsync("1.2.3", _temp.FullName));
    }
}
