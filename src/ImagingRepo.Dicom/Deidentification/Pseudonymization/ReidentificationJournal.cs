using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification.Pseudonymization;

/// <summary>
/// The honest broker's re-identification journal: one JSON line per patient and study linking the original
/// identifiers to their pseudonyms. It holds personal data by design, so it must be written outside the
/// de-identified output and kept under the broker's control.
/// </summary>
public sealed class ReidentificationJournal : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new(StringComparer.Ordinal);

    /// <summary>Opens (creating or appending to) a journal file.</summary>
    /// <param name="path">The JSON-lines file; keep it out of the output tree.</param>
    public ReidentificationJournal(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false))
        {
            NewLine = "\n",
        };
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Records a patient's and a study's pseudonyms once per run.</summary>
    internal void Record(string patientId, string pseudonymousPatientId, int dateShiftDays, string? studyUid, string? pseudonymousStudyUid)
    {
        if (!_seen.TryAdd(pseudonymousPatientId + "|" + pseudonymousStudyUid, true))
        {
            return;
        }

        var line = JsonSerializer.Serialize(new JournalLine(patientId, pseudonymousPatientId, dateShiftDays, studyUid, pseudonymousStudyUid),
            ReceiptJsonContext.Default.JournalLine);
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    internal sealed record JournalLine(string PatientId, string PseudonymousPatientId, int DateShiftDays, string? StudyInstanceUid, string? PseudonymousStudyInstanceUid);
}
