namespace Exai.Supabase.Files;

/// <summary>Which preset fills the settings of a provider that its configuration leaves unset.</summary>
public enum FileProviderKind
{
    /// <summary>An OpenAI-style files API with no preset: <see cref="FileProviderOptions.BaseUrl"/> and the purposes must be configured.</summary>
    OpenAiCompatible,

    /// <summary>
    /// Moonshot Kimi: base <c>https://api.moonshot.ai/v1</c>; purposes <c>file-extract</c>, <c>image</c>,
    /// <c>video</c>, <c>batch</c>; 100 MiB a file, 1,000 files, 10 GiB in all. The default for names <c>kimi</c>
    /// and <c>moonshot</c>.
    /// </summary>
    Moonshot,

    /// <summary>
    /// ZhipuAI GLM: base <c>https://open.bigmodel.cn/api/paas/v4</c>; purposes <c>file-extract</c> (50 MiB, images
    /// 5 MiB), <c>code-interpreter</c> and <c>agent</c> (20 MiB, images 5 MiB), <c>batch</c> (100 MiB); listed by
    /// purpose, 100 a page. The default for names <c>glm</c>, <c>zhipu</c> and <c>zhipuai</c>.
    /// </summary>
    ZhipuAi,
}
