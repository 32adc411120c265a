using ImagingRepo.Dicom;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>One file of a series, in place: nothing is read until asked for.</summary>
public sealed class DatasetInstance
{
    internal DatasetInstance(DatasetSeries series, string fullPath)
    {
        Series = series;
        FullPath = fullPath;
    }

    /// <summary>The series the file belongs to.</summary>
    public DatasetSeries Series { get; }

    /// <summary>The file name.</summary>
    public string FileName => Path.GetFileName(FullPath);

    /// <summary>The file's absolute path (inside the read-only mount).</summary>
    public string FullPath { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length => new FileInfo(FullPath).Length;

    /// <summary>Opens the file for reading.</summary>
    public Stream OpenRead() =>
        new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>
    /// Reads the file as DICOM with ImagingRepo.Dicom; pixel data and other large values stay in the file until used.
    /// </summary>
    /// <param name="options">Read options (e.g. <see cref="DicomReadOptions.StopAtTag"/> for headers only), or null for the defaults.</param>
    /// <exception cref="DicomReadException">The file is not DICOM.</exception>
    public DicomFile ReadDicom(DicomReadOptions? options = null) => DicomFile.Open(FullPath, options);

    /// <summary>The file name.</summary>
    public override string ToString() => FileName;
}
