import { Tag, Tooltip } from 'antd';

export function TagList({ tags, max }: { tags: string[]; max?: number }) {
  const shown = max ? tags.slice(0, max) : tags;
  const rest = tags.length - shown.length;
  return (
    <>
      {shown.map((tag) => (
        <Tag key={tag} color="blue" variant="filled">
          {tag}
        </Tag>
      ))}
      {rest > 0 ? (
        <Tooltip title={tags.slice(shown.length).join(', ')}>
          <Tag>+{rest}</Tag>
        </Tooltip>
      ) : null}
    </>
  );
}
