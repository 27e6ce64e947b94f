import type { RenderTemplate } from 'src/media/render/render.types';
import type { TemplateEntity } from 'src/modules/templates/entities/template.entity';

/** What the renderer needs from a template row. */
export function toRenderTemplate(template: TemplateEntity): RenderTemplate {
  return {
    width: template.width,
    height: template.height,
    fps: template.fps,
    fontFamily: template.fontFamily,
    subtitleStyle: {
      fontSize: template.subtitleFontSize,
      primaryColor: template.subtitlePrimaryColor,
      outlineColor: template.subtitleOutlineColor,
      position: template.subtitlePosition,
    },
    transition: template.transition,
    transitionMs: template.transitionMs,
    musicVolume: template.musicVolume,
    kenBurns: template.kenBurns,
  };
}
