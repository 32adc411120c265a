using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Http;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo pacs query|pull</c>: a thin shell over the Client's <see cref="DicomWebClient"/>: QIDO-RS study search
/// (a table, or <c>--json</c>) and WADO-RS retrieve of studies to a folder, one Part 10 file per instance.
/// </summary>
internal static class PacsCommand
{
    private static readonly Option<string?> Url = new("--url")
    {
        Description = "The PACS's DICOMweb root, e.g. http://pacs:8042/dicom-web/ (default: $IMAGINGREPO_DICOMWEB_URL).",
        Recursive = true,
    };

    public static Command Create()
    {
        var command = new Command("pacs", "Search a PACS (QIDO-RS) and pull studies from it (WADO-RS) through DICOMweb.") { Url };
        command.Subcommands.Add(CreateQuery());
        command.Subcommands.Add(CreatePull());
        return command;
    }

    private static Command CreateQuery()
    {
        var patient = new Option<string?>("--patient") { Description = "Patient ID (0010,0020)." };
        var modality = new Option<string?>("--modality") { Description = "A modality the study holds, e.g. CT." };
        var from = new Option<string?>("--from") { Description = "First study date, YYYY-MM-DD (inclusive)." };
        var to = new Option<string?>("--to") { Description = "Last study date, YYYY-MM-DD (inclusive)." };
        var json = new Option<bool>("--json") { Description = "Print the studies as JSON lines." };
        var command = new Command("query", "List the studies that match (Study Instance UID, date, modalities, series and instance counts).")
        {
            patient, modality, from, to, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Client(parse) is not { } pacs) return 2;
            DicomWebStudyQuery query;
            try
            {
                query = new DicomWebStudyQuery
                {
                    PatientId = parse.GetValue(patient),
                    Modality = parse.GetValue(modality),
                    StudyDateFrom = Date(parse.GetValue(from), "--from"),
                    StudyDateTo = Date(parse.GetValue(to), "--to"),
                };
            }
            catch (FormatException e)
            {
                return Fail(e.Message);
            }

            var asJson = parse.GetValue(json);
            var count = 0;
            return await GuardAsync(async () =>
            {
                await foreach (var study in pacs.SearchStudiesAsync(query, cancellationToken).ConfigureAwait(false))
                {
                    count++;
                    Console.WriteLine(asJson
                        ? JsonSerializer.Serialize(new Dictionary<string, object?>
                        {
                            ["studyInstanceUid"] = study.StudyInstanceUid, ["patientId"] = study.PatientId,
                            ["studyDate"] = study.StudyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["modalities"] = study.Modalities,
                            ["series"] = study.SeriesCount, ["instances"] = study.InstanceCount,
                        })
                        : string.Create(CultureInfo.InvariantCulture,
                            $"{study.StudyInstanceUid}  {study.StudyDate:yyyy-MM-dd}  {string.Join('/', study.Modalities),-6}  {study.SeriesCount} series  {study.InstanceCount} instances"));
                }

                if (!asJson) Console.WriteLine($"found {count} studies");
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreatePull()
    {
        var studies = new Argument<string[]>("STUDY") { Description = "Study Instance UIDs.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "The folder: OUT/<study>/000001.dcm, … Required.", Required = true };
        var command = new Command("pull", "Retrieve studies into a folder, one DICOM file per instance, streamed (a study is never held in memory).")
        {
            studies, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Client(parse) is not { } pacs) return 2;
            var root = parse.GetValue(output)!;
            return await GuardAsync(async () =>
            {
                var (instances, bytes) = (0, 0L);
                foreach (var uid in parse.GetValue(studies)!)
                {
                    var retrieved = await pacs.RetrieveStudyAsync(uid, Path.Combine(root, uid), null, cancellationToken).ConfigureAwait(false);
                    Console.WriteLine($"{uid}: {retrieved.Files.Count} instances");
                    (instances, bytes) = (instances + retrieved.Files.Count, bytes + retrieved.Bytes);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pulled {parse.GetValue(studies)!.Length} studies, {instances} instances, {bytes} bytes"));
                return 0;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static DicomWebClient? Client(ParseResult parse)
    {
        var named = parse.GetValue(Url) ?? Environment.GetEnvironmentVariable("IMAGINGREPO_DICOMWEB_URL");
        if (string.IsNullOrEmpty(named) || !Uri.TryCreate(named, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Fail("--url (or $IMAGINGREPO_DICOMWEB_URL) must be the http(s) URL of the PACS's DICOMweb root");
            return null;
        }

        return new DicomWebClient(url, null, null);
    }

    private static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (ResourceNotFoundException e)
        {
            return Fail("not found: " + e.Message);
        }
        catch (ImagingRepoRequestException e)
        {
            return Fail(e.Message);
        }
        catch (HttpRequestException e)
        {
            return Fail("cannot reach the PACS: " + e.Message);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: the instances written so far are complete files.");
            return 130;
        }
    }

    private static DateOnly? Date(string? text, string option) =>
        text is null ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new FormatException($"{option} '{text}' is not a date YYYY-MM-DD");

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }
}
