using ImagingRepo.Service.Creation;

namespace ImagingRepo.Service.Tests.Creation;

public sealed class DatasetCreationRequestRulesTests
{
    private static DatasetCreationRequest Valid() => new()
    {
        DatasetId = "00e821c4-e92b-48f7-a034-ba2df547e2bf",
        AuthorId = "author",
        Studies =
        [
            new SelectedStudy
            {
                StudyId = "s1", StudyName = "CT", SubjectName = "17B76FEW", PathInDatalake = "user/17B76FEW_x/CT20150129/",
                Series = [new SelectedSeries("AXT1", ["Axial"])], Url = "https://explorer.example/studies?id=s1",
            },
        ],
    };

    [Fact]
    public void A_valid_request_has_no_problem() => Assert.Empty(DatasetCreationRequestRules.Check(Valid()));

    [Fact]
    public void Every_problem_is_named_with_its_field()
    {
        var valid = Valid();
        var study = valid.Studies[0];
        var request = valid with
        {
            DatasetId = "not-a-uuid",
            AuthorId = " ",
            Studies =
            [
                study with { SubjectName = "a/b", Series = [new SelectedSeries("..", []), new SelectedSeries("A", ["t"]), new SelectedSeries("A", [])] },
                study with { StudyId = "s1", PathInDatalake = "/abs", Url = "ftp://x" },
                study with { StudyId = new string('x', 65), StudyName = new string('n', 129) },
                study with { StudyId = "s4", PathInDatalake = "other/place/CT20150129" },  // the same subject and study folder name as studies[2]
                study with { StudyId = "s5", PathInDatalake = "third/CT20150129" },
            ],
            Subjects = [new SubjectEform("a", default), new SubjectEform("a", default)],
        };

        var problems = DatasetCreationRequestRules.Check(request).Select(p => p.ToString()).ToList();

        Assert.Equal(
        [
            "datasetId: is not a UUID",
            "authorId: is empty",
            "studies[0].subjectName: holds a slash or backslash",
            "studies[0].series[0].folderName: is \"..\"",
            "studies[0].series[2].folderName: \"A\" is selected twice",
            "studies[1].studyId: \"s1\" is selected twice",
            "studies[1].url: is not an http(s) URL",
            "studies[1].pathInDatalake: is absolute; it must be relative to the data lake",
            "studies[2].studyId: must have 1 to 64 characters",
            "studies[2].studyName: must have at most 128 characters",
            "studies[3].pathInDatalake: would be laid out at \"17B76FEW/CT20150129\" like studies[2]",
            "studies[4].pathInDatalake: would be laid out at \"17B76FEW/CT20150129\" like studies[2]",
            "subjects[1].subjectName: \"a\" is given twice",
        ], problems);
    }

    [Fact]
    public void An_empty_selection_is_refused() =>
        Assert.Equal(["studies: is empty"], DatasetCreationRequestRules.Check(Valid() with { Studies = [] }).Select(p => p.ToString()));
}
