import { Flex, Tag, Tooltip } from 'antd';

export function TagList({ tags, max }: { tags: string[]; max?: number }) {
  const shown = max ? tags.slice(0, max) : tags;
  const rest = tags.length - shown.length;
  return (
    <Flex gap={4} wrap>
      {shown.map((tag) => (
        <Tag key={tag} color="blue" variant="filled" className="tag-compact">
          {tag}
        </Tag>
      ))}
      {rest > 0 ? (
        <Tooltip title={tags.slice(shown.length).join(', ')}>
          <Tag className="tag-compact">+{rest}</Tag>
        </Tooltip>
      ) : null}
    </Flex>
  );
}
