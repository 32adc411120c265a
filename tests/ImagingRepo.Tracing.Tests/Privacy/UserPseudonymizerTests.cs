using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Tracing.Tests.Privacy;

public class UserPseudonymizerTests
{
    [Fact]
    public void Pseudonyms_are_stable_keyed_and_idempotent()
    {
        var p = TestTraces.Pseudonymizer;
        var a = p.Pseudonymize(TestTraces.Email);
        Assert.Equal(a, p.Pseudonymize(TestTraces.Email));
        Assert.Equal(a, p.Pseudonymize(a));
        Assert.True(UserPseudonymizer.IsPseudonym(a));
        Assert.DoesNotContain("maria", a, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(a, p.Pseudonymize(TestTraces.Username));
        Assert.NotEqual(a, new UserPseudonymizer(new byte[32]).Pseudonymize(TestTraces.Email));
    }

    [Fact]
    public void Pseudonyms_are_lower_case_so_that_the_tracers_lower_casing_filter_finds_them()
    {
        var a = TestTraces.Pseudonymizer.Pseudonymize(TestTraces.Email);
        Assert.StartsWith(UserPseudonymizer.Prefix, a, StringComparison.Ordinal);
        Assert.Equal(a, a.ToLowerInvariant());
        Assert.Equal(UserPseudonymizer.Prefix.Length + 64, a.Length);
        Assert.False(UserPseudonymizer.IsPseudonym(a.ToUpperInvariant()));
    }

    [Fact]
    public void First_version_pseudonyms_are_still_pseudonyms_and_left_as_they_are()
    {
        const string v1 = "pseud:v1:suIndgvbl9avlLzV9m8XkVeD-rkwL3IEB5T2obLi1Zc"; // TestTraces.Email under TestTraces.Key, as version 1 wrote it
        Assert.True(UserPseudonymizer.IsPseudonym(v1));
        Assert.Same(v1, TestTraces.Pseudonymizer.Pseudonymize(v1));
        Assert.Equal(v1, TestTraces.Pseudonymizer.ApplyLike(TestTraces.Use("d") with { UserId = TestTraces.Email }, v1).UserId);
        Assert.False(UserPseudonymizer.IsPseudonym("pseud:v1:short"));
    }

    [Fact]
    public void Short_keys_are_refused() =>
        Assert.Throws<ArgumentException>(() => new UserPseudonymizer(new byte[16]));
}
