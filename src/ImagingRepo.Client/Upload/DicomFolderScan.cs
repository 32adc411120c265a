using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Client.Upload;

/// <summary>
/// A folder's files grouped into studies by their Study Instance UID, read from each file's header only (reading stops
/// before Series Instance UID, so pixel data is never touched); the files that are in no study, with the reason. Holds
/// paths, never file contents.
/// </summary>
internal sealed class DicomFolderScan
{
    /// <summary>Reading stops before (0020,000E), the tag after Study Instance UID (0020,000D).</summary>
    private static readonly DicomReadOptions HeaderOnly = new() { StopAtTag = DicomTags.SeriesInstanceUID };

    private readonly Dictionary<string, List<string>> _studies = new(StringComparer.Ordinal);
    private readonly List<DatasetUploadFile> _files = [];

    private DicomFolderScan()
    {
    }

    /// <summary>The studies, in ordinal order of their UIDs.</summary>
    public IReadOnlyList<string> StudyInstanceUids => [.. _studies.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Each study's files, in ordinal order of their paths.</summary>
    public IReadOnlyDictionary<string, List<string>> Studies => _studies;

    /// <summary>The files that are in no study.</summary>
    public IReadOnlyList<DatasetUploadFile> Files => _files;

    /// <summary>Reads the header of every file under <paramref name="folder"/> (recursively, hidden files and folders left out).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="filesRead">Told the files read and the studies found so far, now and then, or null.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    public static DicomFolderScan Read(string folder, Action<int, int>? filesRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"upload source folder not found: {folder}");
        var paths = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Order(StringComparer.Ordinal).ToList();
        var scan = new DicomFolderScan();
        for (var i = 0; i < paths.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scan.Add(paths[i]);
            if ((i + 1) % 100 == 0) filesRead?.Invoke(i + 1, scan._studies.Count);
        }

        filesRead?.Invoke(paths.Count, scan._studies.Count);
        return scan;
    }

    private void Add(string path)
    {
        if (DeidentificationInputs.IsMediaDirectory(path))
        {
            _files.Add(new DatasetUploadFile(path, DatasetUploadFileOutcome.Ignored, "a DICOMDIR (an index of the instances beside it), not an instance"));
            return;
        }

        string? uid;
        bool part10;
        try
        {
            var header = DicomFile.Open(path, HeaderOnly);
            uid = header.Dataset.GetString(DicomTags.StudyInstanceUID)?.Trim();
            part10 = header.HadFileMetaInformation;
        }
        catch (DicomException e)
        {
            // Without the DICM prefix a file that does not read as DICOM is an export's extra file; with it, a broken instance.
            _files.Add(DeidentificationInputs.HasPart10Prefix(path)
                ? new DatasetUploadFile(path, DatasetUploadFileOutcome.Failed, "not readable as DICOM: " + e.Message)
                : new DatasetUploadFile(path, DatasetUploadFileOutcome.Ignored, "not DICOM"));
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _files.Add(new DatasetUploadFile(path, DatasetUploadFileOutcome.Failed, "cannot be read: " + e.Message));
            return;
        }

        if (uid is { Length: > 0 })
        {
            if (!_studies.TryGetValue(uid, out var files)) _studies[uid] = files = [];
            files.Add(path);
        }
        else
        {
            _files.Add(part10
                ? new DatasetUploadFile(path, DatasetUploadFileOutcome.Failed, "a DICOM file without a Study Instance UID (0020,000D)")
                : new DatasetUploadFile(path, DatasetUploadFileOutcome.Ignored, "not DICOM"));
        }
    }
}
